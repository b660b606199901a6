#!/usr/bin/env bash
# bench/router/profile.sh — the Atrium router alone on the benchmark query: CPU per request, RPS, and (with JFR=1) a
# JFR profile of the measured window with its hot methods and CPU per thread group. For finding where the router's
# CPU goes; ./atrium bench router (run.sh) is the comparison with the other gateways.
# Usage: bench/router/profile.sh [router-jar ...]   (default: the built router jar; several jars are measured in
#        interleaved rounds against the same subgraphs, so machine noise hits each alike)
# Env: WARMUP (20 s), DURATION (15 s), ROUNDS (2), CONNECTIONS (50), THREADS (2), JFR (0; 1 records the first round),
#      ROUTER_JAVA_OPTS (as in run.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/router"
WORK="$ROOT/bench/.work/router-profile"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=subgraphs.sh
source "$HERE/subgraphs.sh"

WARMUP=${WARMUP:-20}
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
JFR=${JFR:-0}
VERSION=0.1.0-SNAPSHOT
EXAMPLES_JAR="$ROOT/examples/target/atrium-examples-$VERSION-all.jar"
SUPERGRAPH="$ROOT/config/supergraph/examples.graphql"
JAVA_BIN=${JAVA_HOME:?JAVA_HOME must name a JDK 25}/bin
JAVA="$JAVA_BIN/java"
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=("$ROOT/federation-router/target/atrium-federation-router-$VERSION.jar")

need_debian_packages wrk curl
command -v node >/dev/null 2>&1 || die "writing the request body needs Node.js"
[ -f "$EXAMPLES_JAR" ] || die "build first: ./atrium build"
for jar in "${JARS[@]}"; do [ -f "$jar" ] || die "no such jar: $jar"; done
rm -rf "$WORK" && mkdir -p "$WORK"

pids_to_stop=()
cleanup() { for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

start_sample_subgraphs
write_request_body

hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
results="$WORK/results.txt"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!JARS[@]}"; do
    jar=${JARS[$i]}
    port=$(free_port)
    opts=${ROUTER_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED}
    jfr_file="$WORK/router-$i.jfr"
    if [ "$JFR" = 1 ] && [ "$round" = 1 ]; then
      opts="$opts -XX:StartFlightRecording=delay=${WARMUP}s,duration=${DURATION}s,filename=$jfr_file,settings=profile"
    fi
    # shellcheck disable=SC2086
    "$JAVA_BIN/java" $opts -jar "$jar" --supergraph "$WORK/supergraph.graphql" --port "$port" > "$WORK/router-$i.log" 2>&1 &
    pid=$!
    pids_to_stop+=("$pid")
    until curl -fsS -m 5 -o "$WORK/answer-$i.json" -H 'content-type: application/json' --data-binary @"$WORK/request.json" \
        "http://127.0.0.1:$port/graphql" 2>/dev/null; do
      kill -0 "$pid" 2>/dev/null || die "router $jar exited; see $WORK/router-$i.log"
      sleep 0.5
    done
    grep -q '"errors"' "$WORK/answer-$i.json" && die "router $jar answered with errors ($WORK/answer-$i.json)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$HERE/query.lua" "http://127.0.0.1:$port/graphql" > /dev/null
    before=$(ticks "$pid")
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$HERE/query.lua" "http://127.0.0.1:$port/graphql")
    after=$(ticks "$pid")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.3f", t * 1000 / hz / n }')
    printf '%s round=%s rps=%s cpu_ms_per_req=%s\n' "$jar" "$round" "$rps" "$cpu" | tee -a "$results"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done

if [ "$JFR" = 1 ]; then
  for i in "${!JARS[@]}"; do
    jfr_file="$WORK/router-$i.jfr"
    [ -f "$jfr_file" ] || continue
    say "== ${JARS[$i]}: hot methods (JFR execution samples)"
    "$JAVA_BIN/jfr" view hot-methods "$jfr_file" | sed -n '1,30p'
    say "== CPU per thread group (sum of jdk.ThreadCPULoad samples, %)"
    "$JAVA_BIN/jfr" print --events jdk.ThreadCPULoad "$jfr_file" | awk '
      /eventThread/ { t = $0; sub(/.*eventThread = "/, "", t); sub(/".*/, "", t); gsub(/-?[0-9]+$/, "", t) }
      /user =/ { u = $3; gsub(/%/, "", u) }
      /system =/ { s = $3; gsub(/%/, "", s); sum[t] += u + s }
      END { for (k in sum) printf "%8.1f %s\n", sum[k], k }' | sort -rn | head -12
  done
fi
