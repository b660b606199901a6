-- GCRA over every limit of one request, atomically. KEYS[i]: the state (theoretical arrival time, microseconds)
-- of limit i; ARGV[2i-1], ARGV[2i]: its emission interval and tolerance in microseconds; ARGV[2n+1], when given:
-- the request's weight in units (a GraphQL operation's estimated cost), else 1.
-- The request is counted against every limit only when all of them allow it.
-- Returns {now, tat_1 .. tat_n} with the TATs as read before the decision (0 = none), so the caller derives the
-- same verdict and headers with the same arithmetic (all values are integers below 2^53, exact in Lua numbers).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local n = #KEYS
local units = tonumber(ARGV[2 * n + 1]) or 1
local tats = {}
local allowed = true
for i = 1, n do
  local tat = tonumber(redis.call('GET', KEYS[i])) or 0
  tats[i] = tat
  if math.max(tat, now) + tonumber(ARGV[2 * i - 1]) * units - now > tonumber(ARGV[2 * i]) then
    allowed = false
  end
end
if allowed then
  for i = 1, n do
    local new_tat = math.max(tats[i], now) + tonumber(ARGV[2 * i - 1]) * units
    redis.call('SET', KEYS[i], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
  end
end
local reply = {now}
for i = 1, n do
  reply[i + 1] = tats[i]
end
return reply
