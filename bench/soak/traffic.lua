-- wrk script for the soak: one request kind per wrk process (SOAK_KIND), and a count of answers whose status is not
-- the one expected for that kind (an "unexpected" answer is the soak's error count; expected refusals are not).
local kind = os.getenv("SOAK_KIND")
local token = os.getenv("SOAK_TOKEN") or ""
local expected = tonumber(os.getenv("SOAK_EXPECT") or "200")
local unexpected = 0
local threads = {}

local kinds = {
  graphql = function()
    wrk.method = "POST"
    wrk.path = "/graphql"
    wrk.headers["content-type"] = "application/json"
    wrk.headers["authorization"] = "Bearer " .. token
    wrk.body = '{"query":"{ user(id: \\"1\\") { name orders { id total items { quantity product { name } } payment { id status } } payments { id status } } }"}'
  end,
  graphql_error = function()   -- a validation error: 400 under application/graphql-response+json
    wrk.method = "POST"
    wrk.path = "/graphql"
    wrk.headers["content-type"] = "application/json"
    wrk.headers["accept"] = "application/graphql-response+json"
    wrk.headers["authorization"] = "Bearer " .. token
    wrk.body = '{"query":"{ nope }"}'
  end,
  unauthenticated = function()  -- no token: 401 problem+json at the edge
    wrk.method = "POST"
    wrk.path = "/graphql"
    wrk.headers["content-type"] = "application/json"
    wrk.body = '{"query":"{ __typename }"}'
  end,
  mobile = function()
    wrk.method = "GET"
    wrk.path = "/mobile/v1/ops/TopProducts"
    wrk.headers["x-api-key"] = "atrium-demo-ios-key"
    wrk.headers["apollographql-client-name"] = "ios"
    wrk.headers["apollographql-client-version"] = "5.2.0"
  end,
  web = function()   -- the demo page's query through bff-web, anonymous (the public part of the graph)
    wrk.method = "POST"
    wrk.path = "/web/graphql"
    wrk.headers["content-type"] = "application/json"
    wrk.headers["accept"] = "application/graphql-response+json"
    wrk.body = '{"operationName":"ProductPage","variables":{"upc":"1","locale":"en-US"},"query":"query ProductPage($upc: ID!, $locale: String!) { productPage(upc: $upc) { product { upc name priceLabel(locale: $locale) inStock reviews { body author { username } } } related { upc name priceLabel(locale: $locale) } } }"}'
  end,
  rest = function()
    wrk.method = "GET"
    wrk.path = "/api/v1/orders/1001"
  end,
  transcoded = function()
    wrk.method = "GET"
    wrk.path = "/api/v1/payments/pay_1001"
  end,
}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  kinds[kind]()
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("unexpected") or 0)
  end
  io.write(string.format("SOAK %s requests=%d unexpected=%d socket_errors=%d\n", kind, summary.requests, total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
