-- wrk script: the benchmark operation as a trusted operation of the app 'bench' 1.0.0 (by id, no text), to bff-mobile.
local f = assert(io.open(os.getenv("BENCH_BFF_JSON"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["apollographql-client-name"] = "bench"
wrk.headers["apollographql-client-version"] = "1.0.0"
