#!/usr/bin/env bash
# ./atrium bench soak — the whole local stack (./atrium up) under mixed traffic for a long time: GraphQL through the
# edge and the router (joining GraphQL, REST and gRPC subgraphs), registered operations through bff-mobile, REST
# through the edge, the web page's query through bff-web, REST -> gRPC transcoding, expected errors (validation errors,
# missing tokens) and slow clients (connections that read their answers a few bytes at a time). Every SAMPLE seconds
# each service's RSS, open file descriptors and old-generation heap (jstat) are recorded. The old generation of a
# serial-GC heap also holds promoted garbage until the next full collection, so the leak measure is the live heap: at
# the end of the warm-up, every LIVE_EVERY seconds and at the end, a class histogram (which runs a full GC first) per
# JVM. At the end, per service: the slopes after the warm-up (per hour, least squares), the live heap's growth and the
# classes that grew most, the WARN/ERROR lines its log got during the soak (grouped by message); per traffic kind:
# requests, unexpected statuses and socket errors. The bar: flat live heap after warm-up and zero unexpected answers.
# Env: DURATION (1800 s), WARMUP (300 s; samples before it are not in the slopes), SAMPLE (15 s), LIVE_EVERY (300 s),
#      CONNECTIONS (4 per traffic kind), SLOW_CLIENTS (4). Needs the stack's ports free (./atrium up --detach, down).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/soak"
WORK="$ROOT/bench/.work/soak"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"

DURATION=${DURATION:-1800}
WARMUP=${WARMUP:-300}
SAMPLE=${SAMPLE:-15}
LIVE_EVERY=${LIVE_EVERY:-300}
CONNECTIONS=${CONNECTIONS:-4}
SLOW_CLIENTS=${SLOW_CLIENTS:-4}
JAVA_BIN=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin
SERVICES="accounts products inventory reviews orders payments federation-router bff-web bff-mobile edge-proxy"
LOGS="$ROOT/.atrium/logs"
BASE=http://127.0.0.1:8080

need_debian_packages wrk curl
[ "$WARMUP" -lt "$DURATION" ] || die "WARMUP ($WARMUP) must be shorter than DURATION ($DURATION)"
rm -rf "$WORK" && mkdir -p "$WORK"

"$ROOT/atrium" up --detach > "$WORK/up.log" 2>&1 || { tail -n 20 "$WORK/up.log" >&2; die "./atrium up failed"; }
background=()
cleanup() {
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$ROOT/atrium" down > /dev/null 2>&1 || true
}
trap cleanup EXIT

declare -A PID
for name in $SERVICES; do
  PID[$name]=$(cat "$ROOT/.atrium/pids/$name.pid" 2>/dev/null || true)
  [ -n "${PID[$name]}" ] || die "no pid for $name (.atrium/pids)"
done
TOKEN=$("$ROOT/atrium" token)
TOKEN_SECONDS=${TOKEN_SECONDS:-240}   # the development provider's tokens live 300 s: wrk runs in rounds, each with a new one
curl -fsS -m 10 -o /dev/null "$BASE/api/v1/orders/1001" || die "the stack does not answer REST through the edge"
say "soak: commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), started $(date -u +%FT%TZ)," \
  "DURATION=${DURATION}s WARMUP=${WARMUP}s SAMPLE=${SAMPLE}s LIVE_EVERY=${LIVE_EVERY}s" \
  "CONNECTIONS=$CONNECTIONS per kind SLOW_CLIENTS=$SLOW_CLIENTS, $(nproc) cores"
declare -A LOG_START   # each log's line count when the traffic starts: only later lines are counted
for name in $SERVICES; do LOG_START[$name]=$(wc -l < "$LOGS/$name.log" 2>/dev/null || echo 0); done

# Mixed traffic: one wrk per kind, each counting answers that are not the status its kind expects.
run_kind() { # kind expected-status
  local end=$((SECONDS + DURATION)) left
  while [ $SECONDS -lt "$end" ]; do
    left=$((end - SECONDS)); [ "$left" -le "$TOKEN_SECONDS" ] || left=$TOKEN_SECONDS
    SOAK_KIND=$1 SOAK_EXPECT=$2 SOAK_TOKEN=$("$ROOT/atrium" token) wrk -t1 -c"$CONNECTIONS" -d"${left}s" --timeout 30s \
      -s "$HERE/traffic.lua" "$BASE" >> "$WORK/wrk-$1.txt" 2>&1
  done
}
for kind in graphql:200 graphql_error:400 unauthenticated:401 mobile:200 web:200 rest:200 transcoded:200; do
  run_kind "${kind%%:*}" "${kind##*:}" &
  background+=("$!")
done
# Slow clients: each reads its answers at 64 bytes a second, over and over, until the end.
slow_client() {
  local end=$((SECONDS + DURATION)) token=$TOKEN renewed=$SECONDS
  while [ $SECONDS -lt $end ]; do
    if [ $((SECONDS - renewed)) -ge "$TOKEN_SECONDS" ]; then token=$("$ROOT/atrium" token); renewed=$SECONDS; fi
    curl -s -o /dev/null --limit-rate 64 -m 60 -H "authorization: Bearer $token" -H 'content-type: application/json' \
      -H "x-soak: slow" -d '{"query":"{ topProducts { name price } }"}' "$BASE/graphql" || true
  done
}
for _ in $(seq 1 "$SLOW_CLIENTS"); do slow_client & background+=("$!"); done

samples="$WORK/samples.txt"   # t service rss_kib fds old_gen_kib heap_committed_kib
live="$WORK/live.txt"         # t service live_heap_kib (after a full GC)
# live_heap <t>: a class histogram per JVM (a full GC, then the live objects by class) kept as histo-<service>-<t>.txt
live_heap() {
  local name bytes
  for name in $SERVICES; do
    "$JAVA_BIN/jcmd" "${PID[$name]}" GC.class_histogram > "$WORK/histo-$name-$1.txt" 2>&1 || continue
    # the heap's filler arrays (gaps the collector plugged, not objects the program holds) are left out
    bytes=$(awk '$4 ~ /FillerElement/ { filler += $3 } $1 == "Total" { print $3 - filler }' "$WORK/histo-$name-$1.txt")
    if [ -n "$bytes" ]; then printf '%s %s %s\n' "$1" "$name" "$((bytes / 1024))" >> "$live"; fi
  done
}
start=$SECONDS
next_live=$WARMUP
say "Soaking for ${DURATION}s (warm-up ${WARMUP}s, a sample every ${SAMPLE}s, the live heap every ${LIVE_EVERY}s) ..."
while [ $((SECONDS - start)) -lt "$DURATION" ]; do
  t=$((SECONDS - start))
  if [ "$t" -ge "$next_live" ]; then live_heap "$t"; next_live=$((t + LIVE_EVERY)); fi
  for name in $SERVICES; do
    pid=${PID[$name]}
    kill -0 "$pid" 2>/dev/null || die "$name died during the soak (see .atrium/logs/$name.log)"
    fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    # OU (old generation used) and S0C+S1C+EC+OC (the heap's committed size, which RSS follows as it grows), KiB
    gc=$("$JAVA_BIN/jstat" -gc "$pid" 2>/dev/null | awk 'NR==2 { print $8, $1 + $2 + $5 + $7 }')
    printf '%s %s %s %s %s\n' "$t" "$name" "$(rss_kib "$pid")" "$fds" "${gc:-0 0}" >> "$samples"
  done
  sleep "$SAMPLE"
done
for pid in "${background[@]}"; do wait "$pid" 2>/dev/null || true; done
background=()
live_heap "$((SECONDS - start))"   # traffic over: nothing in flight is counted as live
ended=$(date -u +%FT%TZ)

say ""
say "soak ended $ended; per service after the warm-up (slopes per hour, least squares; old gen includes garbage not yet collected):"
say "service              rss_MiB(start->end)  rss_slope_MiB/h  old_gen_MiB(start->end)  old_slope_MiB/h  fds(start->end)  heap_committed_MiB(start->end)"
for name in $SERVICES; do
  awk -v n="$name" -v w="$WARMUP" '
    $2 == n && $1 >= w { k++; t[k] = $1 / 3600; r[k] = $3 / 1024; o[k] = $5 / 1024; f[k] = $4; c[k] = $6 / 1024 }
    function slope(y,   i, st, sy, stt, sty) { for (i = 1; i <= k; i++) { st += t[i]; sy += y[i]; stt += t[i] * t[i]; sty += t[i] * y[i] }
      return (k > 1 && k * stt - st * st != 0) ? (k * sty - st * sy) / (k * stt - st * st) : 0 }
    END { if (k == 0) { printf "%-20s no samples after the warm-up\n", n; exit }
      printf "%-20s %8.1f -> %-8.1f %15.1f %12.1f -> %-9.1f %15.1f %8d -> %-5d %12.1f -> %.1f\n", n, r[1], r[k], slope(r), o[1], o[k], slope(o), f[1], f[k], c[1], c[k] }
  ' "$samples"
done
say ""
say "live heap after a full GC (end of warm-up -> end; slope over the checkpoints), the classes that grew most (KiB):"
say "service              live_MiB(start->end)  live_slope_MiB/h  checkpoints  top growth"
for name in $SERVICES; do
  first=$(awk -v n="$name" '$2 == n { print $1; exit }' "$live" 2>/dev/null || true)
  last=$(awk -v n="$name" '$2 == n { t = $1 } END { print t }' "$live" 2>/dev/null || true)
  growth=""
  if [ -n "$first" ] && [ -n "$last" ] && [ "$first" != "$last" ]; then
    # histogram rows: "num: instances bytes class [module]"; the three classes whose bytes grew most (64 KiB or more)
    growth=$(awk 'FNR == 1 { f++ } $1 ~ /^[0-9]+:$/ && $4 !~ /FillerElement/ { b[f, $4] = $3; seen[$4] = 1 }
      END { for (c in seen) { d = (b[2, c] - b[1, c]) / 1024; if (d >= 64) printf "%d %s\n", d, c } }' \
      "$WORK/histo-$name-$first.txt" "$WORK/histo-$name-$last.txt" | sort -rn | head -3 | awk '{ printf "%s%s +%d", s, $2, $1; s = ", " }')
  fi
  growth=${growth:-none by 64 KiB or more}
  awk -v n="$name" -v g="$growth" '
    $2 == n { k++; t[k] = $1 / 3600; y[k] = $3 / 1024 }
    END { if (k == 0) { printf "%-20s no live-heap checkpoints\n", n; exit }
      for (i = 1; i <= k; i++) { st += t[i]; sy += y[i]; stt += t[i] * t[i]; sty += t[i] * y[i] }
      s = (k > 1 && k * stt - st * st != 0) ? (k * sty - st * sy) / (k * stt - st * st) : 0
      printf "%-20s %8.1f -> %-8.1f %16.1f %12d  %s\n", n, y[1], y[k], s, k, g }
  ' "$live" 2>/dev/null || say "$name: no live-heap checkpoints"
done
say ""
say "log lines at WARN or ERROR written during the soak, per service (grouped by logger and message):"
for name in $SERVICES; do
  tail -n "+$((LOG_START[$name] + 1))" "$LOGS/$name.log" 2>/dev/null | grep -E '"level":"(WARN|ERROR)"' \
    > "$WORK/log-$name.txt" || true
  say "$(printf '%-20s warn=%d error=%d' "$name" "$(grep -c '"level":"WARN"' "$WORK/log-$name.txt")" \
    "$(grep -c '"level":"ERROR"' "$WORK/log-$name.txt")")"
  sed 's/.*"level":"\([A-Z]*\)".*"loggerName":"\([^"]*\)".*"formattedMessage":"\([^"]\{0,100\}\).*/\1 \2: \3/' \
    "$WORK/log-$name.txt" | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /'
done
say ""
cat "$WORK"/wrk-*.txt | grep '^SOAK' | awk '{ split($3, r, "="); split($4, u, "="); split($5, e, "=");
  req[$2] += r[2]; un[$2] += u[2]; err[$2] += e[2] }
  END { for (k in req) printf "traffic %s requests=%d unexpected=%d socket_errors=%d\n", k, req[k], un[k], err[k] }' | sort
unexpected=$(cat "$WORK"/wrk-*.txt | grep '^SOAK' | sed 's/.*unexpected=\([0-9]*\).*/\1/' | awk '{ s += $1 } END { print s + 0 }')
socket_errors=$(cat "$WORK"/wrk-*.txt | grep '^SOAK' | sed 's/.*socket_errors=\([0-9]*\).*/\1/' | awk '{ s += $1 } END { print s + 0 }')
say "soak: ${DURATION}s, unexpected answers: $unexpected, socket errors: $socket_errors (samples, live heap, histograms: $WORK)"
