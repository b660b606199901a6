#!/usr/bin/env bash
# bench/edge/profile.sh — the edge alone, for finding where its CPU goes and comparing builds: scenarios (a) plain
# proxying, (b) JWT + a rate limit that never trips and (f) header and JSON-field transformations (as in run.sh)
# against one small NGINX upstream. Every jar runs
# at once on its own port and rounds alternate between them, so machine noise hits each alike; CPU per request is split
# into user and system time (/proc). With JFR=1 the first round of each jar is recorded and its hot methods printed;
# with ASPROF=<libasyncProfiler.so> the first round is sampled by async-profiler instead (attached with jcmd, CPU time of
# the edge's I/O threads, native and JVM frames included, which JFR's method samples miss): the frames with the most
# self time and the edge's own methods by total time are printed, the collapsed stacks kept for flame graphs. The
# library ships in the tools.profiler:async-profiler jar on Maven Central (linux-x64/libasyncProfiler.so).
# ./atrium bench edge (run.sh) is the comparison with NGINX as a proxy.
# Usage: bench/edge/profile.sh [edge-jar ...]   (default: the built jar; e.g. a copy of the previous build and the new one)
# Env: WARMUP (20 s per jar and scenario), DURATION (5 s), ROUNDS (6), CONNECTIONS (64), THREADS (2), SCENARIOS ("a b"; also f),
#      TOGETHER (0; 1: all jars under load at once, each with its own wrk, for a machine too busy for one-after-the-other
#      rounds to compare; no profiling then; a jar's place can bias it, so run both orders), RATE (unset: wrk as fast as it goes; a number: h2load --h1 holds that many
#      requests per second over CONNECTIONS connections, so that batching per loop turn is alike for every jar), JFR (0), ASPROF (unset), ASPROF_EVENT (itimer), ASPROF_INTERVAL (1ms),
#      EDGE_JAVA_OPTS (common.sh).
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
ASPROF=${ASPROF:-}
TOGETHER=${TOGETHER:-0}
RATE=${RATE:-}
ASPROF_EVENT=${ASPROF_EVENT:-itimer}
ASPROF_INTERVAL=${ASPROF_INTERVAL:-1ms}
[ -z "$ASPROF" ] || [ -f "$ASPROF" ] || die "ASPROF names no file: $ASPROF"
JAVA_BIN=${JAVA_HOME:?JAVA_HOME must name a JDK 25}/bin
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=("$ROOT/edge-proxy/target/atrium-edge-proxy-0.1.0-SNAPSHOT.jar")

need_debian_packages wrk nginx curl openssl h2load:nghttp2-client
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
  elif [ "$1" = f ]; then
    printf '%s\n' -H "X-Old-Tenant: acme" -H "X-Debug: 1" "http://127.0.0.1:$2/item"
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

profiling_starts() { # jar-index scenario
  local pid=${pids[$1]}
  if [ "$JFR" = 1 ]; then
    "$JAVA_BIN/jcmd" "$pid" JFR.start name="$2" settings=profile filename="$WORK/edge-$1-$2.jfr" > /dev/null
  fi
  if [ -n "$ASPROF" ]; then
    # itimer: CPU time without perf_events (event=cpu costs ~10x the edge's own work per sample on a paravirtualised
    # VM, which distorts everything); threads: to keep the I/O threads only. The inner quotes keep jcmd from reading
    # the option string as key=value arguments of its own.
    "$JAVA_BIN/jcmd" "$pid" JVMTI.agent_load "$ASPROF" "\"start,event=$ASPROF_EVENT,interval=$ASPROF_INTERVAL,threads\"" > /dev/null
  fi
}
profiling_stops() { # jar-index scenario
  local pid=${pids[$1]}
  if [ "$JFR" = 1 ]; then
    "$JAVA_BIN/jcmd" "$pid" JFR.stop name="$2" > /dev/null
  fi
  if [ -n "$ASPROF" ]; then
    "$JAVA_BIN/jcmd" "$pid" JVMTI.agent_load "$ASPROF" "\"stop,collapsed,file=$WORK/edge-$1-$2.collapsed\"" > /dev/null
  fi
}
load() { # output-file wrk-arguments...: wrk at full speed, or h2load (HTTP/1.1) at RATE requests per second
  local out=$1; shift
  if [ -n "$RATE" ]; then
    h2load --h1 -t1 -c"$CONNECTIONS" --rps="$(( (RATE + CONNECTIONS - 1) / CONNECTIONS ))" -D"$DURATION" "$@" > "$out"
  else
    wrk "${WRK[@]}" -d"${DURATION}s" "$@" > "$out"
  fi
}
record() { # label load-output-file user-ticks system-ticks
  local n rps
  if [ -n "$RATE" ]; then
    n=$(awk '/^requests:/ { for (i = 1; i <= NF; i++) if ($(i) ~ /^succeeded/) print $(i - 1) }' "$2")
    rps=$(awk '/^finished in/ { for (i = 1; i <= NF; i++) if ($(i) ~ /^req\/s/) print $(i - 1) }' "$2" | tr -d ,)
  else
    n=$(awk '/requests in/ {print $1}' "$2")
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$2")
  fi
  awk -v l="$1" -v r="$rps" -v u="$3" -v sy="$4" -v hz="$hz" -v n="$n" \
    'BEGIN { printf "%s %.0f %.1f %.1f %.1f\n", l, r, u / hz * 1e6 / n, sy / hz * 1e6 / n, (u + sy) / hz * 1e6 / n }' >> "$results"
}

results="$WORK/results.txt"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  say "Round $round/$ROUNDS ..."
  for s in $SCENARIOS; do
    if [ "$TOGETHER" = 1 ]; then
      # Every jar under load in the same seconds: whatever else the machine does then hits all of them alike.
      declare -a u0 s0
      for i in "${!JARS[@]}"; do read -r "u0[$i]" "s0[$i]" < <(ticks "${pids[$i]}"); done
      loads=()
      for i in "${!JARS[@]}"; do
        mapfile -t args < <(target "$s" "${ports[$i]}")
        load "$WORK/load-$i.out" "${args[@]}" &
        loads+=($!)
      done
      wait "${loads[@]}"
      for i in "${!JARS[@]}"; do
        read -r u1 s1 < <(ticks "${pids[$i]}")
        record "$s-$i" "$WORK/load-$i.out" $((u1 - u0[i])) $((s1 - s0[i]))
      done
      continue
    fi
    for i in "${!JARS[@]}"; do
      pid=${pids[$i]}
      mapfile -t args < <(target "$s" "${ports[$i]}")
      [ "$round" != 1 ] || profiling_starts "$i" "$s"
      read -r u0 s0 < <(ticks "$pid")
      load "$WORK/load-$i.out" "${args[@]}"
      read -r u1 s1 < <(ticks "$pid")
      [ "$round" != 1 ] || profiling_stops "$i" "$s"
      record "$s-$i" "$WORK/load-$i.out" $((u1 - u0)) $((s1 - s0))
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
if [ -n "$ASPROF" ] && [ "$TOGETHER" != 1 ]; then
  for i in "${!JARS[@]}"; do
    for s in $SCENARIOS; do
      stacks="$WORK/edge-$i-$s.collapsed"
      say "== ${JARS[$i]}, scenario $s: async-profiler, I/O threads ($stacks)"
      grep '^\[atrium-edge-io' "$stacks" | awk '
        { n = $NF; total += n; line = $0; sub(/ [0-9]+$/, "", line); k = split(line, f, ";")
          self[f[k]] += n; delete seen
          for (j = 2; j <= k; j++) if (f[j] ~ /^io\/atrium\// && !(f[j] in seen)) { seen[f[j]] = 1; incl[f[j]] += n } }
        END {
          printf "samples %d\n-- self time\n", total
          for (m in self) printf "%6.2f%%  %s\n", 100 * self[m] / total, m | "sort -rn | head -n 30"
          close("sort -rn | head -n 30")
          print "-- total time of the edge'"'"'s own methods"
          for (m in incl) printf "%6.2f%%  %s\n", 100 * incl[m] / total, m | "sort -rn | head -n 25"
        }'
    done
  done
fi
if [ "$JFR" = 1 ] && [ "$TOGETHER" != 1 ]; then
  for i in "${!JARS[@]}"; do
    for s in $SCENARIOS; do
      say "== ${JARS[$i]}, scenario $s: hot methods (JFR execution samples)"
      "$JAVA_BIN/jfr" view hot-methods "$WORK/edge-$i-$s.jfr" | sed -n '1,25p'
    done
  done
fi
