#!/usr/bin/env bash
# ./atrium bench bff — what bff-mobile adds on top of the router: the benchmark query (bench/router/query.graphql) sent
# as a trusted operation by id through bff-mobile -> router -> sample subgraphs, against the same query sent to the
# router alone, in one run with the same wrk settings, rounds interleaved. Per hop: RPS, p50/p99 and CPU per request
# (from /proc), measured at saturation (CONNECTIONS closed-loop connections). The latency a hop adds is measured
# apart, at a fixed request rate well below saturation (LATENCY_RPS over LATENCY_CONNECTIONS paced connections): at
# saturation on a 2-core machine p99 is queueing, and any extra process on the same cores adds queueing of its own.
# Last line: bff overhead: cpu=<BFF CPU per request / router CPU per request> p99_ms=<p99 through the BFF - p99 of
# the router alone, both at LATENCY_RPS>.
# Env: SHORT=1 (a quick check: 5 s warm-up, 1 round of 3 s, 10 connections), WARMUP (30), ROUNDS (3), DURATION (10),
#      CONNECTIONS (50), BATCH_CONNECTIONS (CONNECTIONS / 3), THREADS (2), LATENCY_RPS (100), LATENCY_CONNECTIONS (10), LATENCY_DURATION (30).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/router"     # subgraphs.sh and the query live with the router benchmark
BFF_HERE="$ROOT/bench/bff"
WORK="$ROOT/bench/.work/bff"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=../router/subgraphs.sh
source "$HERE/subgraphs.sh"

if [ "${SHORT:-0}" = 1 ]; then WARMUP=${WARMUP:-5} ROUNDS=${ROUNDS:-1} DURATION=${DURATION:-3} CONNECTIONS=${CONNECTIONS:-10}; fi
WARMUP=${WARMUP:-30}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
# The batch leg keeps as many operations in flight as the others (CONNECTIONS / 3 connections, 3 operations each):
# at three times the concurrency the router's CPU per operation rises with it, which is not what batching costs.
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-$(( (CONNECTIONS + 2) / 3 ))}
LATENCY_RPS=${LATENCY_RPS:-100}
LATENCY_CONNECTIONS=${LATENCY_CONNECTIONS:-10}
LATENCY_DURATION=${LATENCY_DURATION:-30}
[ "${SHORT:-0}" = 1 ] && LATENCY_DURATION=${LATENCY_DURATION_SHORT:-5}
VERSION=0.1.0-SNAPSHOT
EXAMPLES_JAR="$ROOT/examples/target/atrium-examples-$VERSION-all.jar"
ROUTER_JAR="$ROOT/federation-router/target/atrium-federation-router-$VERSION.jar"
BFF_JAR="$ROOT/bff-mobile/target/atrium-bff-mobile-$VERSION.jar"
SUPERGRAPH="$ROOT/config/supergraph/examples.graphql"
JAVA=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin/java
TOKEN="bench-bff-$RANDOM$RANDOM"
JVM_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
BFF_JVM_OPTS="$JVM_OPTS ${BFF_JAVA_OPTS:-}"   # BFF_JAVA_OPTS: extra JVM options for the BFF only (e.g. a profiler agent)

need_debian_packages wrk curl
command -v node >/dev/null 2>&1 || die "the benchmark needs Node.js (it writes the JSON bodies)"
[ -f "$EXAMPLES_JAR" ] && [ -f "$ROUTER_JAR" ] && [ -f "$BFF_JAR" ] || die "build first: ./atrium build"
rm -rf "$WORK" && mkdir -p "$WORK/registry"

pids_to_stop=()
cleanup() { for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

start_sample_subgraphs
registry() { ATRIUM_ROUTER_ADMIN_TOKEN="$TOKEN" ATRIUM_ACTOR=bench "$JAVA" -cp "$ROUTER_JAR" \
  io.atrium.router.registry.RegistryCli "$@" --admin-url "http://127.0.0.1:$ADMIN_PORT"; }

# The router in registry mode (the BFF reads its view there and publishes its own fields).
ROUTER_PORT=$(free_port); ADMIN_PORT=$(free_port)
# batching on, as in config/router/router.yaml: the BFF sends an app's batch on as one request (router.batch below)
printf 'format_version: 1\nbatching: { enabled: true, max_operations: 10 }\n' > "$WORK/router.yaml"
ATRIUM_ROUTER_ADMIN_TOKEN="$TOKEN" "$JAVA" $JVM_OPTS -jar "$ROUTER_JAR" --config "$WORK/router.yaml" --registry "$WORK/registry" \
  --port "$ROUTER_PORT" --admin-port "$ADMIN_PORT" > "$WORK/router.log" 2>&1 &
ROUTER_PID=$!; pids_to_stop+=("$ROUTER_PID")
until registry subgraph list >/dev/null 2>&1; do
  kill -0 "$ROUTER_PID" 2>/dev/null || die "the router exited; see $WORK/router.log"
  sleep 0.2
done
for name in accounts products inventory reviews; do
  url=$(grep -o "name: \"$name\", url: \"[^\"]*\"" "$WORK/supergraph.graphql" | sed 's/.*url: "\(.*\)"/\1/')
  registry subgraph publish --name "$name" --routing-url "$url" \
    --schema "$ROOT/config/supergraph/subgraphs/$name.graphql" > /dev/null || die "publishing $name failed"
done

BFF_PORT=$(free_port)
cat > "$WORK/mobile.yaml" <<YAML
format_version: 1
name: bff-mobile
router: { url: "http://127.0.0.1:$ROUTER_PORT/graphql", batch: true }
registry: { admin_url: "http://127.0.0.1:$ADMIN_PORT" }   # polls at the default 1 s, as deployed
subgraph: { name: bff-mobile, routing_url: "http://127.0.0.1:$BFF_PORT/subgraph" }
view: { exclude_tags: [ internal, web ] }
operations: { source: registry, require_id: true }
YAML
ATRIUM_ROUTER_ADMIN_TOKEN="$TOKEN" "$JAVA" $BFF_JVM_OPTS -jar "$BFF_JAR" --config "$WORK/mobile.yaml" --port "$BFF_PORT" \
  > "$WORK/bff-mobile.log" 2>&1 &
BFF_PID=$!; pids_to_stop+=("$BFF_PID")

# The benchmark query as the app 'bench' 1.0.0's trusted operation, and the two request bodies.
write_request_body
node -e 'const fs=require("fs"),c=require("crypto");const body=fs.readFileSync(process.argv[1],"utf8");
  const id=c.createHash("sha256").update(body).digest("hex");
  fs.writeFileSync(process.argv[2],JSON.stringify({format:"apollo-persisted-query-manifest",version:1,
    operations:[{id,name:"TestQuery",type:"query",body}]}));
  fs.writeFileSync(process.argv[3],JSON.stringify({operationName:"TestQuery",extensions:{persistedQuery:{version:1,sha256Hash:id}}}))' \
  "$HERE/query.graphql" "$WORK/manifest.json" "$WORK/bff-request.json"
export BENCH_BFF_JSON="$WORK/bff-request.json"
tries=0
until registry operations publish --client bench --version 1.0.0 "$WORK/manifest.json" > /dev/null 2>&1; do
  kill -0 "$BFF_PID" 2>/dev/null || die "bff-mobile exited; see $WORK/bff-mobile.log"
  [ $tries -lt 300 ] || die "the manifest was not accepted; see $WORK/router.log"
  sleep 0.2; tries=$((tries + 1))
done

answer() { # $1 name, $2 url, $3 body file, extra curl args...
  local name=$1 url=$2 body=$3; shift 3
  curl -fsS -m 10 -o "$WORK/$name.answer.json" -H 'content-type: application/json' "$@" --data-binary @"$body" "$url" \
    2>/dev/null && ! grep -q '"errors"' "$WORK/$name.answer.json"
}
tries=0
until answer router "http://127.0.0.1:$ROUTER_PORT/graphql" "$WORK/request.json" &&
      answer bff "http://127.0.0.1:$BFF_PORT/graphql" "$WORK/bff-request.json" \
        -H 'apollographql-client-name: bench' -H 'apollographql-client-version: 1.0.0'; do
  kill -0 "$BFF_PID" 2>/dev/null || die "bff-mobile exited; see $WORK/bff-mobile.log"
  [ $tries -lt 300 ] || die "no error-free answer (router: $WORK/router.answer.json, bff: $WORK/bff.answer.json)"
  sleep 0.2; tries=$((tries + 1))
done
cmp -s "$WORK/router.answer.json" "$WORK/bff.answer.json" || die "the BFF and the router answer differently ($WORK/*.answer.json)"
say "bff-mobile and the router give the same answer ($(wc -c < "$WORK/bff.answer.json") bytes)."

# The cheaper paths: the same query revalidated by GET /v1/ops/TestQuery with the ETag of its answer (304), and three
# operations in one batched POST.
ETAG=$(curl -fsS -m 10 -D - -o /dev/null -H 'apollographql-client-name: bench' -H 'apollographql-client-version: 1.0.0' \
  "http://127.0.0.1:$BFF_PORT/v1/ops/TestQuery" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')
[ -n "$ETAG" ] || die "GET /v1/ops/TestQuery answered no ETag (see $WORK/bff-mobile.log)"
status=$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -H 'apollographql-client-name: bench' \
  -H 'apollographql-client-version: 1.0.0' -H "If-None-Match: $ETAG" "http://127.0.0.1:$BFF_PORT/v1/ops/TestQuery")
[ "$status" = 304 ] || die "a revalidation with the answer's ETag got $status, not 304"
export BENCH_ETAG="$ETAG"
cat > "$WORK/revalidate.lua" <<'LUA'
wrk.method = "GET"
wrk.headers["apollographql-client-name"] = "bench"
wrk.headers["apollographql-client-version"] = "1.0.0"
wrk.headers["If-None-Match"] = os.getenv("BENCH_ETAG")
LUA
node -e 'const fs=require("fs");const one=fs.readFileSync(process.argv[1],"utf8");fs.writeFileSync(process.argv[2],"["+[one,one,one].join(",")+"]")' \
  "$WORK/bff-request.json" "$WORK/bff-batch.json"
sed "s|os.getenv(\"BENCH_BFF_JSON\")|\"$WORK/bff-batch.json\"|" "$BFF_HERE/query.lua" > "$WORK/batch.lua"
curl -fsS -m 10 -o "$WORK/batch.answer.json" -H 'content-type: application/json' -H 'apollographql-client-name: bench' \
  -H 'apollographql-client-version: 1.0.0' --data-binary @"$WORK/bff-batch.json" "http://127.0.0.1:$BFF_PORT/graphql" ||
  die "the batched request failed"
node -e 'const a=JSON.parse(require("fs").readFileSync(process.argv[1]));if(!Array.isArray(a)||a.length!==3||a.some(r=>r.errors))process.exit(1)' \
  "$WORK/batch.answer.json" || die "the batch did not answer three error-free results ($WORK/batch.answer.json)"

# Paced copies of the two request scripts: each connection sends its next request PACE ms after the last answer, so
# LATENCY_CONNECTIONS connections offer about LATENCY_RPS requests per second.
PACE=$(awk -v c="$LATENCY_CONNECTIONS" -v r="$LATENCY_RPS" 'BEGIN { printf "%d", c * 1000 / r }')
for script in router:"$HERE/query.lua" bff:"$BFF_HERE/query.lua"; do
  { cat "${script#*:}"; printf '\nfunction delay()\n  return %d\n end\n' "$PACE"; } > "$WORK/paced-${script%%:*}.lua"
done

say "Warming up ($WARMUP s each) ..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$HERE/query.lua" "http://127.0.0.1:$ROUTER_PORT/graphql" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BFF_HERE/query.lua" "http://127.0.0.1:$BFF_PORT/graphql" >/dev/null

results="$WORK/results.txt"
: > "$results"
hz=$(getconf CLK_TCK)
through_bff() { # label connections script url: a leg through the BFF; the BFF's line, then "<label>-router" with the
  # router's CPU per request in the same seconds.
  local label=$1 connections=$2 script=$3 url=$4 before after line
  before=$(cpu_ticks "$ROUTER_PID")
  line=$(run_wrk "$label" "$BFF_PID" -- -t"$THREADS" -c"$connections" -d"${DURATION}s" -s "$script" "$url")
  after=$(cpu_ticks "$ROUTER_PID")
  echo "$line" >> "$results"
  awk -v line="$line" -v t=$((after - before)) -v hz="$hz" -v l="$label-router" \
    'BEGIN { split(line, f, " "); printf "%s %s %s %s %.1f %s\n", l, f[2], f[3], f[4], (f[6] > 0 ? t / hz * 1e6 / f[6] : 0), f[6] }' >> "$results"
}
# Round 0 runs every leg once more and is discarded: the 304, batch and paced legs send requests the warm-up did not,
# and a JVM's CPU per request while C2 still compiles their paths (and recompiles what they deoptimise) is not its
# steady state (measured: the BFF's CPU per request fell from ~1.2 ms in round 1 to ~0.2 ms in round 3).
for round in $(seq 0 "$ROUNDS"); do
  if [ "$round" = 0 ]; then say "Round 0 (every leg once, discarded) ..."; else say "Round $round/$ROUNDS ..."; fi
  run_wrk router "$ROUTER_PID" -- -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$HERE/query.lua" \
    "http://127.0.0.1:$ROUTER_PORT/graphql" >> "$results"
  # Through the BFF: the BFF's own CPU per request, and the router's behind it in the same run ("<leg>-router").
  through_bff bff "$CONNECTIONS" "$BFF_HERE/query.lua" "http://127.0.0.1:$BFF_PORT/graphql"
  # The cheaper paths: a revalidation answered 304, and three operations per POST.
  through_bff bff-304 "$CONNECTIONS" "$WORK/revalidate.lua" "http://127.0.0.1:$BFF_PORT/v1/ops/TestQuery"
  through_bff bff-batch3 "$BATCH_CONNECTIONS" "$WORK/batch.lua" "http://127.0.0.1:$BFF_PORT/graphql"
  # Latency at a fixed rate below saturation: the router alone, and the whole path through the BFF.
  run_wrk router-paced "$ROUTER_PID" -- -t"$THREADS" -c"$LATENCY_CONNECTIONS" -d"${LATENCY_DURATION}s" \
    -s "$WORK/paced-router.lua" "http://127.0.0.1:$ROUTER_PORT/graphql" >> "$results"
  run_wrk bff-paced "$BFF_PID" -- -t"$THREADS" -c"$LATENCY_CONNECTIONS" -d"${LATENCY_DURATION}s" \
    -s "$WORK/paced-bff.lua" "http://127.0.0.1:$BFF_PORT/graphql" >> "$results"
  [ "$round" != 0 ] || : > "$results"
done

stat() { awk -v l="$1" -v c="$2" '$1==l {print $c}' "$results" | median; }
say ""
say "hop                  rps(median)  p50_ms   p99_ms  cpu_ms/req"
for hop in router bff bff-router bff-304 bff-304-router bff-batch3 bff-batch3-router router-paced bff-paced; do
  printf '%-20s %11.1f %7.2f %8.2f %11.3f\n' "$hop" "$(stat "$hop" 2)" "$(stat "$hop" 3)" "$(stat "$hop" 4)" \
    "$(awk -v us="$(stat "$hop" 5)" 'BEGIN { print us / 1000 }')"
done
say "(router: the router alone; bff: the whole path through bff-mobile, CPU of the BFF process only; bff-router: the"
say " router's CPU per request in the same seconds; bff-304: GET /v1/ops revalidated with the answer's ETag (304);"
say " bff-batch3: three operations per POST (CPU per POST); each *-router line is the router behind that leg;"
say " *-paced: about $LATENCY_RPS requests/s over $LATENCY_CONNECTIONS connections, for the latency a hop adds)"
sum() { awk -v a="$(stat "$1" 5)" -v b="$(stat "$1-router" 5)" 'BEGIN { print a + b }'; }
awk -v single="$(sum bff)" -v revalidated="$(sum bff-304)" -v batch="$(sum bff-batch3)" \
  'BEGIN { printf "bff cheaper paths (cpu per operation vs the single uncached request, bff+router): 304=%.2f batch3=%.2f\n",
           (single > 0 ? revalidated / single : 0), (single > 0 ? batch / 3 / single : 0) }'
# The same ratio against the router behind the BFF in the same seconds: both processes measured over one window, so a
# slower or faster stretch of the machine between the legs (seen: the router's CPU per request 11 % apart between
# its two legs) moves both sides of it alike.
awk -v bff="$(stat bff 5)" -v router="$(stat bff-router 5)" \
  'BEGIN { printf "bff cpu vs the router behind it in the same seconds: %.3f\n", (router > 0 ? bff / router : 0) }'
awk -v bff="$(stat bff 5)" -v router="$(stat router 5)" -v p99b="$(stat bff-paced 4)" -v p99r="$(stat router-paced 4)" \
  'BEGIN { printf "bff overhead: cpu=%.3f p99_ms=%.1f\n", (router > 0 ? bff / router : 0), p99b - p99r }'
