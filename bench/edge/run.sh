#!/usr/bin/env bash
# ./atrium bench edge — the edge proxy and NGINX proxying the same small upstream, measured in one run with wrk on
# loopback. Scenarios: (a) plain proxying, (b) JWT verification + a rate limit that never trips, (c) TLS + HTTP/1.1
# keep-alive. Rounds are interleaved (edge, nginx, edge, nginx ...) so machine noise hits both alike; medians are
# reported. Bounded: WARMUP seconds of load on the JVM first, then ROUNDS x DURATION seconds per scenario and proxy.
# Env: WARMUP (40), ROUNDS (5), DURATION (10), CONNECTIONS (64), THREADS (2).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK="$ROOT/bench/.work/edge"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"

WARMUP=${WARMUP:-40}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
EDGE_JAR="$ROOT/edge-proxy/target/atrium-edge-proxy-0.1.0-SNAPSHOT.jar"
JAVA=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin/java

need_debian_packages wrk nginx curl
[ -f "$EDGE_JAR" ] || die "build first: ./atrium build"
rm -rf "$WORK" && mkdir -p "$WORK"

UPSTREAM_PORT=$(free_port)
NGINX_PORT=$(free_port)
EDGE_PORT=$(free_port)
EDGE_ADMIN_PORT=$(free_port)
pids_to_stop=()
cleanup() {
  for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/upstream/nginx.pid" ] && kill "$(cat "$WORK/upstream/nginx.pid")" 2>/dev/null || true
  [ -f "$WORK/proxy/nginx.pid" ] && kill "$(cat "$WORK/proxy/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

nginx_conf() { # dir, server block
  mkdir -p "$1"
  cat > "$1/nginx.conf" <<CONF
worker_processes $3;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $1/body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
  keepalive_requests 1000000;
  $2
}
CONF
  nginx -c "$1/nginx.conf" -p "$1" || die "nginx did not start ($1/error.log)"
}

# The small upstream both proxies call: NGINX answering a fixed 2-byte body, one worker.
nginx_conf "$WORK/upstream" "server { listen 127.0.0.1:$UPSTREAM_PORT; location / { return 200 'ok'; } }" 1
# The reference proxy.
nginx_conf "$WORK/proxy" "upstream backend { server 127.0.0.1:$UPSTREAM_PORT; keepalive 128; }
  server { listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }" auto
wait_http "http://127.0.0.1:$UPSTREAM_PORT/"
wait_http "http://127.0.0.1:$NGINX_PORT/"
NGINX_PIDS=$(pgrep -P "$(cat "$WORK/proxy/nginx.pid")" | tr '\n' ' ')

cat > "$WORK/edge.yaml" <<CONF
format_version: 1
listeners:
  http: { port: $EDGE_PORT }
clusters:
  upstream:
    endpoints: [ "http://127.0.0.1:$UPSTREAM_PORT" ]
routes:
  - name: all
    match: { path_prefix: / }
    cluster: upstream
CONF
ATRIUM_EDGE_CONFIG="$WORK/edge.yaml" ATRIUM_PORT=$EDGE_ADMIN_PORT \
  "$JAVA" ${EDGE_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED} -jar "$EDGE_JAR" > "$WORK/edge.log" 2>&1 &
EDGE_PID=$!
pids_to_stop+=("$EDGE_PID")
wait_http "http://127.0.0.1:$EDGE_PORT/" 90

say "Warming up the edge for ${WARMUP}s ..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$EDGE_PORT/" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$NGINX_PORT/" >/dev/null

results="$WORK/results.txt"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  say "Round $round/$ROUNDS ..."
  run_wrk "a-edge" "$EDGE_PID" -- -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$EDGE_PORT/" >> "$results"
  run_wrk "a-nginx" $NGINX_PIDS -- -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/" >> "$results"
done
EDGE_RSS_MIB=$(( $(rss_kib "$EDGE_PID") / 1024 ))

stat() { # label column -> median
  awk -v l="$1" -v c="$2" '$1==l {print $c}' "$results" | median
}
say ""
say "scenario  proxy  rps(median)  p50_ms  p99_ms  cpu_us/req"
for s in a; do
  for p in edge nginx; do
    printf '%-9s %-6s %11.0f %7.3f %7.3f %11.1f\n' "$s" "$p" "$(stat "$s-$p" 2)" "$(stat "$s-$p" 3)" "$(stat "$s-$p" 4)" "$(stat "$s-$p" 5)"
  done
done
say "edge RSS after load: ${EDGE_RSS_MIB} MiB"
say "(b) JWT + rate limit and (c) TLS are measured once the edge has those policies (issue: edge proxy policies)."
ratio_a=$(awk -v e="$(stat a-edge 2)" -v n="$(stat a-nginx 2)" 'BEGIN { printf "%.2f", (n > 0 ? e / n : 0) }')
say "edge/nginx rps ratio: a=$ratio_a b=n/a c=n/a"
