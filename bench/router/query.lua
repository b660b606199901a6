-- wrk script: POST the benchmark operation (bench/router/query.graphql) as GraphQL over HTTP.
local f = assert(io.open(os.getenv("BENCH_QUERY_JSON"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
