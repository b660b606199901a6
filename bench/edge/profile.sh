#!/usr/bin/env bash
# bench/edge/profile.sh — the edge alone, for finding where its CPU goes and comparing builds: scenarios (a) plain
# proxying and (b) JWT + a rate limit that never trips (as in run.sh) against one small NGINX upstream. Every jar runs
# at once on its own port and rounds alternate between them, so machine noise hits each alike; CPU per request is split
# into user and system time (/proc). With JFR=1 the first round of each jar is recorded and its hot methods printed.
# ./atrium bench edge (run.sh) is the comparison with NGINX as a proxy.
# Usage: bench/edge/profile.sh [edge-jar ...]   (default: the built jar; e.g. a copy of the previous build and the new one)
# Env: WARMUP (20 s per jar and scenario), DURATION (5 s), ROUNDS (6), CONNECTIONS (64), THREADS (2), SCENARIOS ("a b"),
#      JFR (0), EDGE_JAVA_OPTS (common.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK="$ROOT/bench/.work/edge-profile"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=common.sh
source "$ROOT/bench/edge/common.sh"

WARMUP=${WARMUP:-20}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-6}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SCENARIOS=${SCENARIOS:-a b}
JFR=${JFR:-0}
JAVA_BIN=${JAVA_HOME:?JAVA_HOME must name a JDK 25}/bin
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=("$ROOT/edge-proxy/target/atrium-edge-proxy-0.1.0-SNAPSHOT.jar")

need_debian_packages wrk nginx curl openssl
for jar in "${JARS[@]}"; do [ -f "$jar" ] || die "no such jar: $jar"; done
rm -rf "$WORK" && mkdir -p "$WORK"

pids_to_stop=()
cleanup() {
  for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/upstream/nginx.pid" ] && kill "$(cat "$WORK/upstream/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

UPSTREAM_PORT=$(free_port)
nginx_conf "$WORK/upstream" "$(upstream_server "$UPSTREAM_PORT")" 1
wait_http "http://127.0.0.1:$UPSTREAM_PORT/"
make_bench_jwt

ports=()
pids=()
for i in "${!JARS[@]}"; do
  port=$(free_port)
  cat > "$WORK/edge-$i.yaml" <<CONF
format_version: 1
listeners:
  http: { host: 127.0.0.1, port: $port }
$(edge_routes_yaml "$UPSTREAM_PORT")
CONF
  # shellcheck disable=SC2086
  ATRIUM_EDGE_CONFIG="$WORK/edge-$i.yaml" ATRIUM_PORT=$(free_port) "$JAVA_BIN/java" $EDGE_JAVA_OPTS -jar "${JARS[$i]}" \
    > "$WORK/edge-$i.log" 2>&1 &
  pids+=($!)
  pids_to_stop+=($!)
  ports+=("$port")
  wait_http "http://127.0.0.1:$port/" 90
  curl -fsS -o /dev/null -H "Authorization: Bearer $JWT" "http://127.0.0.1:$port/protected" ||
    die "${JARS[$i]} refused the benchmark JWT (see $WORK/edge-$i.log)"
done

target() { # scenario port -> wrk arguments
  if [ "$1" = b ]; then
    printf '%s\n' -H "Authorization: Bearer $JWT" "http://127.0.0.1:$2/protected"
  else
    printf '%s\n' "http://127.0.0.1:$2/"
  fi
}
hz=$(getconf CLK_TCK)
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12, $13}'; }
WRK=(-t"$THREADS" -c"$CONNECTIONS")

for i in "${!JARS[@]}"; do
  say "Warming up ${JARS[$i]} ..."
  for s in $SCENARIOS; do
    mapfile -t args < <(target "$s" "${ports[$i]}")
    wrk "${WRK[@]}" -d"${WARMUP}s" "${args[@]}" > /dev/null
  done
done

results="$WORK/results.txt"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  say "Round $round/$ROUNDS ..."
  for s in $SCENARIOS; do
    for i in "${!JARS[@]}"; do
      pid=${pids[$i]}
      mapfile -t args < <(target "$s" "${ports[$i]}")
      if [ "$JFR" = 1 ] && [ "$round" = 1 ]; then
        "$JAVA_BIN/jcmd" "$pid" JFR.start name="$s" settings=profile filename="$WORK/edge-$i-$s.jfr" > /dev/null
      fi
      read -r u0 s0 < <(ticks "$pid")
      out=$(wrk "${WRK[@]}" -d"${DURATION}s" "${args[@]}")
      read -r u1 s1 < <(ticks "$pid")
      if [ "$JFR" = 1 ] && [ "$round" = 1 ]; then
        "$JAVA_BIN/jcmd" "$pid" JFR.stop name="$s" > /dev/null
      fi
      n=$(awk '/requests in/ {print $1}' <<<"$out")
      rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
      awk -v l="$s-$i" -v r="$rps" -v u=$((u1 - u0)) -v sy=$((s1 - s0)) -v hz="$hz" -v n="$n" \
        'BEGIN { printf "%s %.0f %.1f %.1f %.1f\n", l, r, u / hz * 1e6 / n, sy / hz * 1e6 / n, (u + sy) / hz * 1e6 / n }' >> "$results"
    done
  done
done

stat() { awk -v l="$1" -v c="$2" '$1 == l {print $c}' "$results" | median; }
say ""
say "scenario  jar  rps(median)  user_us/req  sys_us/req  cpu_us/req (median, min)"
for s in $SCENARIOS; do
  for i in "${!JARS[@]}"; do
    printf '%-9s %-4s %11.0f %12.1f %11.1f %11.1f %5.1f  %s\n' "$s" "$i" "$(stat "$s-$i" 2)" "$(stat "$s-$i" 3)" "$(stat "$s-$i" 4)" \
      "$(stat "$s-$i" 5)" "$(awk -v l="$s-$i" '$1 == l {print $5}' "$results" | sort -g | head -n 1)" "${JARS[$i]}"
  done
done
if [ "$JFR" = 1 ]; then
  for i in "${!JARS[@]}"; do
    for s in $SCENARIOS; do
      say "== ${JARS[$i]}, scenario $s: hot methods (JFR execution samples)"
      "$JAVA_BIN/jfr" view hot-methods "$WORK/edge-$i-$s.jfr" | sed -n '1,25p'
    done
  done
fi
