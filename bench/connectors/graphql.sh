#!/usr/bin/env bash
# ./atrium bench connectors, part (b): the same GraphQL queries through two routers on loopback, same run, rounds
# interleaved. Router "connectors" runs the supergraph `./atrium up` composes: accounts + products (GraphQL subgraphs),
# orders through its OpenAPI-generated @connect subgraph (REST connector) and payments through its proto-first subgraph
# (gRPC connector, config/connectors/). Router "graphql" runs the same supergraph with orders and payments served by
# their GraphQL twins (examples: orders-graphql, payments-graphql), which read the same seeded stores, so both routers
# must answer byte for byte the same JSON (checked before any timing).
# Queries (bench/connectors/queries/): rest = users -> orders (REST) -> items -> product (products subgraph);
# grpc = users -> payments (gRPC); join = users -> orders (REST) -> payment (gRPC, batched), reported but not in the
# last line. Not run by default: rest-one / grpc-one, the same for one user (one backend call each way: the cost of
# a connector call against a subgraph fetch, without the per-user fan-out of rest and grpc).
# Measured side by side by default (MODE=together): in each round both routers take the query at once, each from its
# own wrk with half the connections, so both are measured over the same seconds of the shared host. Run one after the
# other (MODE=sequential, the method before), the two legs of one round differed by up to 1.5x on a busy host (each
# 10 s leg meets other load), which no number of rounds averaged out reliably; side by side, that load meets both.
# A ratio is graphql router CPU per request / connectors router CPU per request (router process only, from /proc):
# higher is better for the connectors, 1.00 = the same cost; the target is >= 0.9.
# Writes "rest-vs-graphql=<x.xx>" and "grpc-vs-graphql=<x.xx>" to $ROOT/bench/.work/connectors-graphql.ratios.
# Env: as bench/connectors/run.sh (SHORT, WARMUP, ROUNDS, DURATION, CONNECTIONS, THREADS); GRAPHQL_WARMUP (3 x WARMUP,
#      per router and query); QUERIES (rest grpc join);
#      JFR (0; 1 records both routers' measured rounds with JFR and prints the connectors router's hot methods);
#      ROUTER_JAVA_OPTS: extra JVM options for both routers (e.g. -Xlog:jit+compilation=debug:file=/tmp/jit-%p.log);
#      MODE (together | sequential);
#      ASPROF=<libasyncProfiler.so>: both routers sampled by async-profiler over the measured rounds (CPU time, native
#      and JVM frames, vtable/itable stubs included, which JFR attributes to the calling line); collapsed stacks in
#      $WORK/{connectors,graphql}.collapsed (the library ships in Maven Central's tools.profiler:async-profiler jar);
#      ASPROF_OUTPUT: more output options for it (e.g. "ann": each Java frame marked interpreted, C1, C2 or inlined);
#      BASELINE_JAR=<router jar>: compare two builds of the connectors router instead: the "graphql" router runs the
#      connectors supergraph and config too, from this jar (e.g. main's before a change), side by side with this
#      build's; the ratios are then baseline CPU per request / this build's (> 1: this build is cheaper), named
#      <query>-vs-baseline, and the backends column counts the services both call.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/connectors"
WORK="$ROOT/bench/.work/connectors-graphql"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=settings.sh
source "$HERE/settings.sh"
QUERIES=${QUERIES:-rest grpc join}
JFR=${JFR:-0}
ASPROF=${ASPROF:-}
[ -z "$ASPROF" ] || [ -f "$ASPROF" ] || die "ASPROF names no file: $ASPROF"
MODE=${MODE:-together}
BASELINE_JAR=${BASELINE_JAR:-}
[ -z "$BASELINE_JAR" ] || [ -f "$BASELINE_JAR" ] || die "BASELINE_JAR names no file: $BASELINE_JAR"
case "$MODE" in together|sequential) ;; *) die "MODE must be together or sequential, not '$MODE'" ;; esac
HALF=$(( (CONNECTIONS + 1) / 2 ))   # each router's connections side by side
SERVICE_OPTS=(-Xmx256m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
ROUTER_OPTS=(-Xms256m -Xmx256m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow ${ROUTER_JAVA_OPTS:-})
ROUTERS=(connectors graphql)

rm -rf "$WORK" "$RATIOS" && mkdir -p "$WORK"

pids_to_stop=()
cleanup() { for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

declare -A PORT PID
SERVICES=(accounts products orders payments orders-graphql payments-graphql)
launch_service() { # name: an examples service on a free port, in the background
  local name=$1
  PORT[$name]=$(free_port)
  "$JAVA" "${SERVICE_OPTS[@]}" -jar "$EXAMPLES_JAR" "$name" --host 127.0.0.1 --port "${PORT[$name]}" \
    > "$WORK/$name.log" 2>&1 &
  PID[$name]=$!
  pids_to_stop+=("$!")
}
service_ready() { # name: 0 once it serves (HTTP /health; payments, gRPC, logs "listening"), 1 when it has exited
  local name=$1 start=$SECONDS
  if [ "$name" != payments ]; then wait_http "http://127.0.0.1:${PORT[$name]}/health" 120 "${PID[$name]}"; return; fi
  until grep -q listening "$WORK/$name.log" 2>/dev/null; do
    kill -0 "${PID[$name]}" 2>/dev/null || return 1
    [ $((SECONDS - start)) -lt 120 ] || die "payments did not start within 120s; see $WORK/payments.log"
    sleep 0.2
  done
}

say "Starting ${SERVICES[*]} ..."
for name in "${SERVICES[@]}"; do launch_service "$name"; done
for name in "${SERVICES[@]}"; do
  # A port picked free can be taken by another program before the service binds it: then once more on another one.
  service_ready "$name" || { launch_service "$name"; service_ready "$name"; } || die "$name did not start; see $WORK/$name.log"
done

# The supergraphs, composed by Atrium's composer from the same files `./atrium up` publishes to the registry: orders
# as the @connect SDL generated from the running orders service's OpenAPI document, payments as
# config/connectors/payments.graphql; the twins' SDLs for the graphql router.
"$JAVA" -cp "$ROUTER_JAR" io.atrium.router.connector.rest.openapi.OpenApiCommand \
  "http://127.0.0.1:${PORT[orders]}/openapi.yaml" --out "$WORK/orders-connector.graphql" > "$WORK/openapi.log" 2>&1 ||
  die "could not generate the orders connector subgraph ($WORK/openapi.log)"
TWINS="$ROOT/examples/src/main/resources/io/atrium/examples/subgraphs"
write_supergraph_config() { # router orders-url orders-sdl payments-url payments-sdl
  cat > "$WORK/$1.supergraph.yaml" <<YAML
subgraphs:
  accounts: { routing_url: "http://127.0.0.1:${PORT[accounts]}/graphql", schema: { file: $ROOT/config/supergraph/subgraphs/accounts.graphql } }
  products: { routing_url: "http://127.0.0.1:${PORT[products]}/graphql", schema: { file: $ROOT/config/supergraph/subgraphs/products.graphql } }
  orders: { routing_url: "$2", schema: { file: $3 } }
  payments: { routing_url: "$4", schema: { file: $5 } }
YAML
  "$JAVA" -cp "$ROUTER_JAR" io.atrium.router.compose.ComposeCommand --config "$WORK/$1.supergraph.yaml" \
    > "$WORK/$1.supergraph.graphql" 2> "$WORK/$1.compose.log" || die "composition failed ($WORK/$1.compose.log)"
}
write_supergraph_config connectors "http://127.0.0.1:${PORT[orders]}" "$WORK/orders-connector.graphql" \
  "http://127.0.0.1:${PORT[payments]}/grpc-connector" "$ROOT/config/connectors/payments.graphql"
write_supergraph_config graphql "http://127.0.0.1:${PORT[orders-graphql]}/graphql" "$TWINS/orders-graphql.graphql" \
  "http://127.0.0.1:${PORT[payments-graphql]}/graphql" "$TWINS/payments-graphql.graphql"

# The routers' configs: the defaults (as config/router/router.yaml, less identity, which needs the edge and the OIDC
# provider) plus, for the connectors router, where its backends run (config/router/router.yaml's connectors block).
for router in "${ROUTERS[@]}"; do
  {
    printf 'format_version: 1\nhot_reload: false\n'
    if [ "$router" = connectors ] || [ -n "$BASELINE_JAR" ]; then cat <<YAML
connectors:
  rest:
    orders:
      sources: { api: { base_url: "http://127.0.0.1:${PORT[orders]}" } }
  grpc:
    payments:
      connector: $ROOT/config/connectors/payments.grpc.yaml
      descriptor_set: classpath:META-INF/atrium/protos/atrium.desc
      target: 127.0.0.1:${PORT[payments]}
YAML
    fi
  } > "$WORK/$router.router.yaml"
done

declare -A ADMIN JAR_OF=([connectors]="$ROUTER_JAR" [graphql]="${BASELINE_JAR:-$ROUTER_JAR}")
# A/B of two builds: the baseline runs the connectors supergraph as well
[ -z "$BASELINE_JAR" ] || cp "$WORK/connectors.supergraph.graphql" "$WORK/graphql.supergraph.graphql"
for router in "${ROUTERS[@]}"; do
  PORT[$router]=$(free_port); ADMIN[$router]=$(free_port)
  "$JAVA" "${ROUTER_OPTS[@]}" -jar "${JAR_OF[$router]}" --config "$WORK/$router.router.yaml" \
    --supergraph "$WORK/$router.supergraph.graphql" --port "${PORT[$router]}" --admin-port "${ADMIN[$router]}" \
    > "$WORK/$router.log" 2>&1 &
  PID[$router]=$!; pids_to_stop+=("$!")
done
for router in "${ROUTERS[@]}"; do
  wait_http "http://127.0.0.1:${PORT[$router]}/health" 120 "${PID[$router]}" || die "the $router router did not start ($WORK/$router.log)"
done

# Request bodies (the queries hold no quotes or backslashes: they go into JSON as they are) and the answers: no errors,
# and the same bytes from both routers.
for query in $QUERIES; do
  [ -f "$HERE/queries/$query.graphql" ] || die "no query $HERE/queries/$query.graphql"
  printf '{"query":"%s"}' "$(tr -s ' \n' ' ' < "$HERE/queries/$query.graphql" | sed 's/ *$//')" > "$WORK/$query.json"
  for router in "${ROUTERS[@]}"; do
    curl -fsS -m 10 -H 'content-type: application/json' -H 'accept: application/json' --data-binary @"$WORK/$query.json" \
      "http://127.0.0.1:${PORT[$router]}/graphql" > "$WORK/$query.$router.answer.json" || die "$router: $query failed"
    ! grep -q '"errors"' "$WORK/$query.$router.answer.json" || die "$router answered $query with errors ($WORK/$query.$router.answer.json)"
  done
  cmp -s "$WORK/$query.connectors.answer.json" "$WORK/$query.graphql.answer.json" ||
    die "the routers answer $query differently ($WORK/$query.*.answer.json)"
  say "  $query: both routers answer the same $(wc -c < "$WORK/$query.graphql.answer.json") bytes"
done

# Backend calls per request, from each router's /metrics (admin port): connector calls (atrium.connector.calls) and
# subgraph fetches (atrium.router.subgraph.fetches) counted around one request of each query.
backend_calls() { # router -> "name count" per connector coordinate / subgraph, cumulative
  curl -fsS -m 5 "http://127.0.0.1:${ADMIN[$1]}/metrics" |
    awk '/^atrium_connector_calls_seconds_count\{/ { match($0, /connector="[^"]*"/); k = substr($0, RSTART + 11, RLENGTH - 12); n[k] += $NF }
         /^atrium_router_subgraph_fetches_seconds_count\{/ { match($0, /subgraph="[^"]*"/); k = "subgraph " substr($0, RSTART + 10, RLENGTH - 11); n[k] += $NF }
         END { for (k in n) print k "\t" n[k] }' | sort
}
: > "$WORK/calls"
for query in $QUERIES; do
  for router in "${ROUTERS[@]}"; do
    backend_calls "$router" > "$WORK/calls.before"
    curl -fsS -m 10 -o /dev/null -H 'content-type: application/json' --data-binary @"$WORK/$query.json" \
      "http://127.0.0.1:${PORT[$router]}/graphql"
    backend_calls "$router" > "$WORK/calls.after"
    printf '%s %s: %s\n' "$query" "$router" "$(join -t $'\t' -a 2 -e 0 -o 0,1.2,2.2 "$WORK/calls.before" "$WORK/calls.after" |
      awk -F'\t' '$3 - $2 > 0 { printf "%s%s x%d", (n++ ? ", " : ""), $1, $3 - $2 }')" >> "$WORK/calls"
  done
done

# The routers' connector paths are still being compiled after 15 s: every run's later rounds were cheaper (the gRPC leg
# 0.59 → 0.73 → 0.88 in one run). Three times the part's warm-up (45 s by default) before anything is measured.
GRAPHQL_WARMUP=${GRAPHQL_WARMUP:-$((WARMUP * 3))}
say "Warming up (${GRAPHQL_WARMUP}s per router and query) ..."
export BENCH_QUERY_JSON
for query in $QUERIES; do
  BENCH_QUERY_JSON="$WORK/$query.json"
  for router in "${ROUTERS[@]}"; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${GRAPHQL_WARMUP}s" -s "$ROOT/bench/router/query.lua" \
      "http://127.0.0.1:${PORT[$router]}/graphql" >/dev/null
  done
done

backends_of() { # router -> the pids of the services it calls (side by side: only those it calls alone, as
  # accounts and products serve both routers in the same seconds)
  local shared="${PID[accounts]} ${PID[products]}"
  [ "$MODE" = sequential ] || shared=""
  if [ "$1" = connectors ] || [ -n "$BASELINE_JAR" ]; then echo "$shared ${PID[orders]} ${PID[payments]}"
  else echo "$shared ${PID[orders-graphql]} ${PID[payments-graphql]}"; fi
}
leg() { # query router connections: one router's leg, its line (with its backends' CPU per request) to stdout
  local query=$1 router=$2 connections=$3 backends_before backends_after line
  # shellcheck disable=SC2046
  backends_before=$(cpu_ticks $(backends_of "$router"))
  line=$(run_wrk "$query-$router" "${PID[$router]}" -- -t"$THREADS" -c"$connections" -d"${DURATION}s" \
    -s "$ROOT/bench/router/query.lua" "http://127.0.0.1:${PORT[$router]}/graphql")
  # shellcheck disable=SC2046
  backends_after=$(cpu_ticks $(backends_of "$router"))
  awk -v line="$line" -v t=$((backends_after - backends_before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { split(line, f, " "); printf "%s %.1f\n", line, (f[6] > 0 ? t / hz * 1e6 / f[6] : 0) }'
}
results="$WORK/results"
: > "$results"
if [ "$JFR" = 1 ]; then
  # both routers, with JDK 25's CPU-time sampler (it counts time in system calls too, which execution samples miss)
  for router in "${ROUTERS[@]}"; do
    "$JAVA_HOME/bin/jcmd" "${PID[$router]}" JFR.start name=connbench settings=profile jdk.CPUTimeSample#enabled=true \
      jdk.CPUTimeSample#throttle=2ms > /dev/null || die "JFR.start failed"
  done
fi
if [ -n "$ASPROF" ]; then
  for router in "${ROUTERS[@]}"; do
    "$JAVA_HOME/bin/jcmd" "${PID[$router]}" JVMTI.agent_load "$ASPROF" "\"start,event=cpu,interval=1ms\"" > /dev/null ||
      die "async-profiler did not start in the $router router"
  done
fi
for round in $(seq 1 "$ROUNDS"); do
  for query in $QUERIES; do
    BENCH_QUERY_JSON="$WORK/$query.json"
    if [ "$MODE" = sequential ]; then
      for router in "${ROUTERS[@]}"; do leg "$query" "$router" "$CONNECTIONS" >> "$results"; done
    else
      leg_pids=()
      for router in "${ROUTERS[@]}"; do
        leg "$query" "$router" "$HALF" > "$WORK/leg.$router" &
        leg_pids+=("$!")
      done
      for pid in "${leg_pids[@]}"; do wait "$pid" || die "a side-by-side leg of '$query' failed"; done
      for router in "${ROUTERS[@]}"; do cat "$WORK/leg.$router" >> "$results"; done
    fi
  done
  say "  round $round/$ROUNDS done"
done

if [ -n "$ASPROF" ]; then
  for router in "${ROUTERS[@]}"; do
    "$JAVA_HOME/bin/jcmd" "${PID[$router]}" JVMTI.agent_load "$ASPROF" "\"stop,collapsed,${ASPROF_OUTPUT:+$ASPROF_OUTPUT,}file=$WORK/$router.collapsed\"" \
      > /dev/null || die "async-profiler did not stop in the $router router"
  done
  say "async-profiler: $WORK/{connectors,graphql}.collapsed"
fi
if [ "$JFR" = 1 ]; then
  for router in "${ROUTERS[@]}"; do
    "$JAVA_HOME/bin/jcmd" "${PID[$router]}" JFR.dump name=connbench filename="$WORK/$router.jfr" > /dev/null ||
      die "JFR.dump failed"
  done
  say ""
  say "connectors router: hot methods of the measured rounds (JFR execution samples; CPU-time samples of both routers"
  say "in $WORK/{connectors,graphql}.jfr, jdk.CPUTimeSample)"
  "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$WORK/connectors.jfr" | sed -n '1,30p'
fi

stat() { awk -v l="$1" -v c="$2" '$1==l {print $c}' "$results" | median; }
say ""
if [ "$MODE" = sequential ]; then
  say "GraphQL queries through the router ($ROUNDS x ${DURATION}s, $CONNECTIONS connections, one router at a time; medians;"
  say "router CPU = the router process only; backends = the services it called; 2 shared cores, other sessions' load"
  say "included: compare same-run rows)"
else
  say "GraphQL queries through the router ($ROUNDS x ${DURATION}s, both routers at once, $HALF connections each;"
  say "medians; router CPU = the router process only; backends = the services only that router called (accounts and"
  say "products serve both); 2 shared cores, other sessions' load included: compare same-run rows)"
fi
[ -z "$BASELINE_JAR" ] || say "BASELINE_JAR: the 'graphql' rows are the baseline build, over the same connectors"
printf '%-22s %10s %9s %9s %16s %16s\n' "" "rps" "p50 ms" "p99 ms" "router us/req" "backends us/req"
for query in $QUERIES; do
  for router in "${ROUTERS[@]}"; do
    printf '%-22s %10.0f %9.3f %9.3f %16.1f %16.1f\n' "$query $router" "$(stat "$query-$router" 2)" \
      "$(stat "$query-$router" 3)" "$(stat "$query-$router" 4)" "$(stat "$query-$router" 5)" "$(stat "$query-$router" 7)"
  done
done
say "backend calls per request (connector calls by coordinate; subgraph fetches by subgraph, a connector subgraph's included):"
sed 's/^/  /' "$WORK/calls"
ratio() { # graphql router CPU per request / connectors router CPU per request: higher is better for the connectors
  awk -v g="$(stat "$1-graphql" 5)" -v c="$(stat "$1-connectors" 5)" 'BEGIN { if (g > 0 && c > 0) printf "%.2f", g / c; else printf "n/a" }'
}
if [ -n "$BASELINE_JAR" ]; then
  # A/B of two builds: not the target's ratio, so not written where run.sh takes its last line from
  say "router CPU ratios (baseline build / this build, both over connectors; > 1: this build is cheaper):" \
    "$(for query in $QUERIES; do printf '%s-vs-baseline=%s ' "$query" "$(ratio "$query")"; done)"
  rm -f "$RATIOS"
else
  {
    for query in rest grpc; do [[ " $QUERIES " == *" $query "* ]] || echo "$query-vs-graphql=n/a"; done
    for query in $QUERIES; do echo "$query-vs-graphql=$(ratio "$query")"; done
  } > "$RATIOS"
  say "router CPU ratios (graphql / connectors; >= 0.9 is the target): $(paste -sd' ' "$RATIOS")"
fi
rounds() { # each round's ratio: its two legs ran in the same seconds (or back to back), so the host's drift cancels
  paste <(awk -v l="$1-graphql" '$1==l {print $5}' "$results") <(awk -v l="$1-connectors" '$1==l {print $5}' "$results") |
    awk '$2 > 0 { printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2 }'
}
say "the same per round, in round order (not in the last line):$(for query in $QUERIES; do printf ' %s %s;' "$query" "$(rounds "$query")"; done)"
if [ "$JFR" = 1 ]; then
  # JFR costs the connectors router more than the GraphQL one (deeper stacks): one run gave 0.59 / 0.47 with it
  # against 0.69 / 0.65 without
  say "JFR=1: both routers were recorded, which costs the connectors router more; use these ratios as a profile only"
fi
