#!/usr/bin/env bash
# ./atrium bench router — the Atrium router against @apollo/gateway and Hive Gateway (JS planner, and the Rust planner
# from @graphql-hive/router-runtime) over the same sample subgraphs, the same supergraph and the same query, with the
# same wrk settings, measured in one run on loopback. Rounds are interleaved so machine noise hits every gateway alike;
# medians are reported, with each gateway process's CPU time per request (from /proc), which carries across machines
# better than RPS. Inbound request de-duplication is off in every gateway (it would turn this into a cache test).
# "atrium-protected" is the same router with graph protection switched on (demand control enforcing its maximum,
# trusted documents in allow_only_known with the benchmark query in a manifest, authorization, the default operation
# limits): the same-run A/B gives the "protection overhead" line, its extra CPU per request over "atrium".
# "atrium-traced" is the same router as "atrium" with OpenTelemetry tracing on (every request sampled, its spans — the
# operation, its phases and one per subgraph fetch — exported over OTLP/HTTP to a local sink that keeps nothing): the
# "router tracing:" line compares the two.
# Env: WARMUP (40 s for the JVMs, a quarter of it for the others), ROUNDS (3), DURATION (10), CONNECTIONS (50),
#      THREADS (2), GATEWAYS (default "atrium atrium-traced atrium-protected apollo-gateway hive-gateway
#      hive-gateway-rust"), TRACING_RATIO (1) the traced router's sampled share; QUICK=1 checks the script quickly
#      (WARMUP 6, ROUNDS 1, DURATION 2 and GATEWAYS "atrium atrium-traced" unless set; its figures mean nothing).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/router"
WORK="$ROOT/bench/.work/router"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=subgraphs.sh
source "$HERE/subgraphs.sh"

if [ "${QUICK:-0}" = 1 ]; then
  WARMUP=${WARMUP:-6} ROUNDS=${ROUNDS:-1} DURATION=${DURATION:-2} GATEWAYS=${GATEWAYS:-atrium atrium-traced}
fi
WARMUP=${WARMUP:-40}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
GATEWAYS=${GATEWAYS:-atrium atrium-traced atrium-protected apollo-gateway hive-gateway hive-gateway-rust}
VERSION=0.1.0-SNAPSHOT
EXAMPLES_JAR="$ROOT/examples/target/atrium-examples-$VERSION-all.jar"
ROUTER_JAR="$ROOT/federation-router/target/atrium-federation-router-$VERSION.jar"
SUPERGRAPH="$ROOT/config/supergraph/examples.graphql"
JAVA=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin/java

need_debian_packages wrk curl
command -v node >/dev/null 2>&1 || die "the reference gateways need Node.js 20+ and npm"
[ -f "$EXAMPLES_JAR" ] && [ -f "$ROUTER_JAR" ] || die "build first: ./atrium build"
# The reference gateways' packages, unless only Atrium routers are measured (QUICK=1's default).
if [[ " $GATEWAYS " =~ \ (apollo-gateway|hive-gateway|hive-gateway-rust)\  ]] && [ ! -d "$HERE/node_modules/@apollo/gateway" ]; then
  say "Installing the reference gateways (npm ci in bench/router) ..."
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
fi
rm -rf "$WORK" && mkdir -p "$WORK"

pids_to_stop=()
cleanup() { for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# Subgraphs on free ports; the supergraph copy points at them.
start_sample_subgraphs

# The protected router's config: every check of graph protection that an anonymous benchmark request can pass.
# (Identity is left out: wrk would need a signed edge assertion per request; a cost budget too: the benchmark query
# costs 24,420 units, more per second than a GCRA limit of microsecond resolution can grant.)
write_protected_config() {
  node -e 'const fs=require("fs"),c=require("crypto");const q=fs.readFileSync(process.argv[1],"utf8");
    fs.writeFileSync(process.argv[2],JSON.stringify({format:"apollo-persisted-query-manifest",version:1,operations:[
      {id:c.createHash("sha256").update(q).digest("hex"),name:"TestQuery",type:"query",body:q}]}))' \
    "$HERE/query.graphql" "$WORK/manifest.json"
  cat > "$WORK/protected.yaml" <<'YAML'
format_version: 1
hot_reload: false
demand_control: { enabled: true, mode: enforce, max: 100000 }
trusted_documents: { mode: allow_only_known, manifests: [ manifest.json ] }
authorization: { enabled: true }
YAML
  printf '%s' "$WORK/protected.yaml"
}

# The traced router's OTLP sink: answers every export with 200 and keeps nothing.
OTLP_PORT=$(free_port)
node -e 'require("http").createServer((q, s) => { q.resume(); q.on("end", () => s.end()); })
  .listen(+process.argv[1], "127.0.0.1")' "$OTLP_PORT" > "$WORK/otlp-sink.log" 2>&1 &
pids_to_stop+=("$!")

declare -A PORT PID
start_gateway() {
  local name=$1 port
  port=$(free_port)
  case $name in
    atrium|atrium-protected|atrium-traced)
      local config=() otel=()
      [ "$name" != atrium-protected ] || config=(--config "$(write_protected_config)")
      [ "$name" != atrium-traced ] || mapfile -t otel < <(otel_env "$OTLP_PORT")
      env "${otel[@]}" "$JAVA" ${ROUTER_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED} -jar "$ROUTER_JAR" \
        --supergraph "$WORK/supergraph.graphql" --port "$port" --admin-port "$(free_port)" "${config[@]}" \
        > "$WORK/$name.log" 2>&1 & ;;
    apollo-gateway)
      node "$HERE/apollo-gateway.mjs" "$WORK/supergraph.graphql" "$port" > "$WORK/$name.log" 2>&1 & ;;
    hive-gateway)
      (cd "$WORK" && exec "$HERE/node_modules/.bin/hive-gateway" supergraph "$WORK/supergraph.graphql" \
        --host 127.0.0.1 --port "$port" --disable-websockets) > "$WORK/$name.log" 2>&1 & ;;
    hive-gateway-rust)
      (cd "$WORK" && exec "$HERE/node_modules/.bin/hive-gateway" supergraph "$WORK/supergraph.graphql" \
        --host 127.0.0.1 --port "$port" --disable-websockets --hive-router-runtime) > "$WORK/$name.log" 2>&1 & ;;
    *) die "unknown gateway $name" ;;
  esac
  PID[$name]=$!
  PORT[$name]=$port
  pids_to_stop+=("$!")
}

# The request body, and each gateway's answer for a correctness check before any timing.
write_request_body
for gw in $GATEWAYS; do start_gateway "$gw"; done
for gw in $GATEWAYS; do
  until curl -fsS -m 5 -o "$WORK/$gw.answer.json" -H 'content-type: application/json' --data-binary @"$WORK/request.json" \
      "http://127.0.0.1:${PORT[$gw]}/graphql" 2>/dev/null; do
    kill -0 "${PID[$gw]}" 2>/dev/null || die "$gw exited; see $WORK/$gw.log"
    sleep 0.5
  done
done
reference=""
for gw in $GATEWAYS; do
  node -e 'const fs=require("fs");const a=JSON.parse(fs.readFileSync(process.argv[1]));
    if (a.errors) { console.error(JSON.stringify(a.errors).slice(0,500)); process.exit(1) }
    fs.writeFileSync(process.argv[1]+".canonical", JSON.stringify(a))' "$WORK/$gw.answer.json" ||
    die "$gw answered with errors ($WORK/$gw.answer.json)"
  if [ -z "$reference" ]; then reference=$gw; continue; fi
  cmp -s "$WORK/$reference.answer.json.canonical" "$WORK/$gw.answer.json.canonical" ||
    die "$gw and $reference answer differently ($WORK/*.answer.json)"
done
say "All gateways give the same answer ($(wc -c < "$WORK/$reference.answer.json.canonical") bytes of JSON)."

say "Warming up ..."
for gw in $GATEWAYS; do
  seconds=$WARMUP
  [ "$gw" = atrium ] || [ "$gw" = atrium-traced ] || seconds=$((WARMUP / 4 + 1))
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" -s "$HERE/query.lua" "http://127.0.0.1:${PORT[$gw]}/graphql" >/dev/null
done

results="$WORK/results.txt"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  say "Round $round/$ROUNDS ..."
  for gw in $GATEWAYS; do
    # The subgraphs' CPU per request too: they share the cores with the gateway and bound every gateway's RPS.
    sub_before=$(cpu_ticks "${SUBGRAPH_PIDS[@]}")
    line=$(run_wrk "$gw" "${PID[$gw]}" -- -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$HERE/query.lua" \
      "http://127.0.0.1:${PORT[$gw]}/graphql")
    sub_after=$(cpu_ticks "${SUBGRAPH_PIDS[@]}")
    awk -v line="$line" -v t=$((sub_after - sub_before)) -v hz="$(getconf CLK_TCK)" \
      'BEGIN { split(line, f, " "); printf "%s %.1f\n", line, (f[6] > 0 ? t / hz * 1e6 / f[6] : 0) }' >> "$results"
  done
done

stat() { awk -v l="$1" -v c="$2" '$1==l {print $c}' "$results" | median; }
say ""
say "gateway              rps(median)  p50_ms   p99_ms  cpu_ms/req  rss_MiB  subgraphs_cpu_ms/req"
for gw in $GATEWAYS; do
  printf '%-20s %11.1f %7.2f %8.2f %11.2f %8d %21.2f\n' "$gw" "$(stat "$gw" 2)" "$(stat "$gw" 3)" "$(stat "$gw" 4)" \
    "$(awk -v us="$(stat "$gw" 5)" 'BEGIN { print us / 1000 }')" $(( $(rss_kib "${PID[$gw]}") / 1024 )) \
    "$(awk -v us="$(stat "$gw" 7)" 'BEGIN { print us / 1000 }')"
done
ratio() { awk -v a="$(stat "$1" 2)" -v b="$(stat "$2" 2)" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
say "router rps ratio: vs-apollo-gateway=$(ratio atrium apollo-gateway) vs-hive-gateway-rust=$(ratio atrium hive-gateway-rust)"
if [[ " $GATEWAYS " == *" atrium "* && " $GATEWAYS " == *" atrium-traced "* ]]; then
  tracing_line router "$results" atrium atrium-traced
  say "    (on: OpenTelemetry spans for every request (sample ratio ${TRACING_RATIO:-1}) exported to a local OTLP sink)"
  grep -q 'OpenTelemetry traces on' "$WORK/atrium-traced.log" || die "atrium-traced did not switch tracing on"
fi
if [[ " $GATEWAYS " == *" atrium "* && " $GATEWAYS " == *" atrium-protected "* ]]; then
  say "protection overhead: $(awk -v a="$(stat atrium-protected 5)" -v b="$(stat atrium 5)" \
    'BEGIN { if (b > 0) printf "%.1f", (a - b) * 100 / b; else printf "n/a" }')% (CPU per request, atrium-protected vs atrium)"
fi
