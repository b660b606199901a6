#!/usr/bin/env bash
# ./atrium bench soak — the whole local stack (./atrium up) under mixed traffic for a long time: GraphQL through the
# edge and the router (joining GraphQL, REST and gRPC subgraphs), registered operations through bff-mobile, REST
# through the edge, REST -> gRPC transcoding, expected errors (validation errors, missing tokens) and slow clients
# (connections that read their answers a few bytes at a time). Every SAMPLE seconds each service's RSS, open file
# descriptors and old-generation heap (jstat) are recorded; at the end, per service: the slope of each after the
# warm-up (per hour, least squares), and per traffic kind: requests, unexpected statuses and socket errors.
# The bar: flat memory after warm-up and zero unexpected answers.
# Env: DURATION (1800 s), WARMUP (300 s; samples before it are not in the slopes), SAMPLE (15 s), CONNECTIONS (4 per
#      traffic kind), SLOW_CLIENTS (4). Needs the stack's ports free (it runs ./atrium up --detach and down).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/soak"
WORK="$ROOT/bench/.work/soak"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"

DURATION=${DURATION:-1800}
WARMUP=${WARMUP:-300}
SAMPLE=${SAMPLE:-15}
CONNECTIONS=${CONNECTIONS:-4}
SLOW_CLIENTS=${SLOW_CLIENTS:-4}
JAVA_BIN=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin
SERVICES="accounts products inventory reviews orders payments federation-router bff-web bff-mobile edge-proxy"
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

# Mixed traffic: one wrk per kind, each counting answers that are not the status its kind expects.
run_kind() { # kind expected-status
  local end=$((SECONDS + DURATION)) left
  while [ $SECONDS -lt "$end" ]; do
    left=$((end - SECONDS)); [ "$left" -le "$TOKEN_SECONDS" ] || left=$TOKEN_SECONDS
    SOAK_KIND=$1 SOAK_EXPECT=$2 SOAK_TOKEN=$("$ROOT/atrium" token) wrk -t1 -c"$CONNECTIONS" -d"${left}s" --timeout 30s \
      -s "$HERE/traffic.lua" "$BASE" >> "$WORK/wrk-$1.txt" 2>&1
  done
}
for kind in graphql:200 graphql_error:400 unauthenticated:401 mobile:200 rest:200 transcoded:200; do
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

samples="$WORK/samples.txt"   # t service rss_kib fds old_gen_kib
start=$SECONDS
say "Soaking for ${DURATION}s (warm-up ${WARMUP}s, a sample every ${SAMPLE}s) ..."
while [ $((SECONDS - start)) -lt "$DURATION" ]; do
  t=$((SECONDS - start))
  for name in $SERVICES; do
    pid=${PID[$name]}
    kill -0 "$pid" 2>/dev/null || die "$name died during the soak (see .atrium/logs/$name.log)"
    fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    old=$("$JAVA_BIN/jstat" -gc "$pid" 2>/dev/null | awk 'NR==2 { print $8 }')   # OU: old generation used, KiB
    printf '%s %s %s %s %s\n' "$t" "$name" "$(rss_kib "$pid")" "$fds" "${old:-0}" >> "$samples"
  done
  sleep "$SAMPLE"
done
for pid in "${background[@]}"; do wait "$pid" 2>/dev/null || true; done
background=()

say ""
say "service              rss_MiB(start->end)  rss_slope_MiB/h  old_gen_MiB(start->end)  old_slope_MiB/h  fds(start->end)"
for name in $SERVICES; do
  awk -v n="$name" -v w="$WARMUP" '
    $2 == n && $1 >= w { k++; t[k] = $1 / 3600; r[k] = $3 / 1024; o[k] = $5 / 1024; f[k] = $4 }
    function slope(y,   i, st, sy, stt, sty) { for (i = 1; i <= k; i++) { st += t[i]; sy += y[i]; stt += t[i] * t[i]; sty += t[i] * y[i] }
      return (k > 1 && k * stt - st * st != 0) ? (k * sty - st * sy) / (k * stt - st * st) : 0 }
    END { if (k == 0) { printf "%-20s no samples after the warm-up\n", n; exit }
      printf "%-20s %8.1f -> %-8.1f %15.1f %12.1f -> %-9.1f %15.1f %8d -> %d\n", n, r[1], r[k], slope(r), o[1], o[k], slope(o), f[1], f[k] }
  ' "$samples"
done
say ""
cat "$WORK"/wrk-*.txt | grep '^SOAK' | awk '{ split($3, r, "="); split($4, u, "="); split($5, e, "=");
  req[$2] += r[2]; un[$2] += u[2]; err[$2] += e[2] }
  END { for (k in req) printf "traffic %s requests=%d unexpected=%d socket_errors=%d\n", k, req[k], un[k], err[k] }' | sort
unexpected=$(cat "$WORK"/wrk-*.txt | grep '^SOAK' | sed 's/.*unexpected=\([0-9]*\).*/\1/' | awk '{ s += $1 } END { print s + 0 }')
say "soak: ${DURATION}s, unexpected answers: $unexpected (samples: $samples)"
