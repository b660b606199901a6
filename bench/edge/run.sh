#!/usr/bin/env bash
# ./atrium bench edge — the edge proxy and NGINX proxying the same small upstream, measured in one run with wrk on
# loopback. Scenarios: (a) plain proxying, (b) JWT verification + a rate limit that never trips, (c) TLS + HTTP/1.1
# keep-alive. Rounds are interleaved (edge, nginx, edge, nginx ...) so machine noise hits both alike; medians are
# reported. Bounded: WARMUP seconds of load on the JVM first, then ROUNDS x DURATION seconds per scenario and proxy.
# Env: WARMUP (40), ROUNDS (5), DURATION (10), CONNECTIONS (64), THREADS (2), EDGE_JAR (the built jar),
#      EDGE_JAVA_OPTS (common.sh). To compare two builds of the edge with each other: profile.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK="$ROOT/bench/.work/edge"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=common.sh
source "$ROOT/bench/edge/common.sh"

WARMUP=${WARMUP:-40}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
EDGE_JAR=${EDGE_JAR:-"$ROOT/edge-proxy/target/atrium-edge-proxy-0.1.0-SNAPSHOT.jar"}
JAVA=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin/java

need_debian_packages wrk nginx curl openssl
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

NGINX_LIMIT_PORT=$(free_port)
NGINX_TLS_PORT=$(free_port)
EDGE_TLS_PORT=$(free_port)

# TLS material for (c): one self-signed EC P-256 certificate both proxies serve.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1 ||
  die "openssl could not make a test certificate"
openssl pkcs8 -topk8 -nocrypt -in "$WORK/key.pem" -out "$WORK/key.pk8.pem"

# JWT for (b).
make_bench_jwt

# The small upstream all proxies call: NGINX answering a fixed 2-byte body, one worker.
nginx_conf "$WORK/upstream" "server { listen 127.0.0.1:$UPSTREAM_PORT; location / { return 200 'ok'; } }" 1
# The reference proxy: (a) plain, (b) with a rate limit that never trips (NGINX OSS cannot verify a JWT), (c) TLS.
nginx_conf "$WORK/proxy" "upstream backend { server 127.0.0.1:$UPSTREAM_PORT; keepalive 128; }
  limit_req_zone \$binary_remote_addr zone=bench:10m rate=1000000r/s;
  proxy_http_version 1.1;
  proxy_set_header Connection \"\";
  server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://backend; } }
  server { listen 127.0.0.1:$NGINX_LIMIT_PORT; location / { limit_req zone=bench burst=1000000 nodelay; proxy_pass http://backend; } }
  server { listen 127.0.0.1:$NGINX_TLS_PORT ssl; ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3; location / { proxy_pass http://backend; } }" auto
wait_http "http://127.0.0.1:$UPSTREAM_PORT/"
wait_http "http://127.0.0.1:$NGINX_PORT/"
NGINX_PIDS=$(pgrep -P "$(cat "$WORK/proxy/nginx.pid")" | tr '\n' ' ')

# Access logs are off on both sides: this measures the proxy path, not log I/O.
cat > "$WORK/edge.yaml" <<CONF
format_version: 1
listeners:
  http: { host: 127.0.0.1, port: $EDGE_PORT }
  https: { host: 127.0.0.1, port: $EDGE_TLS_PORT, cert_file: "$WORK/cert.pem", key_file: "$WORK/key.pk8.pem" }
$(edge_routes_yaml "$UPSTREAM_PORT")
CONF
ATRIUM_EDGE_CONFIG="$WORK/edge.yaml" ATRIUM_PORT=$EDGE_ADMIN_PORT \
  "$JAVA" $EDGE_JAVA_OPTS -jar "$EDGE_JAR" > "$WORK/edge.log" 2>&1 &
EDGE_PID=$!
pids_to_stop+=("$EDGE_PID")
wait_http "http://127.0.0.1:$EDGE_PORT/" 90
curl -fsS -o /dev/null -H "Authorization: Bearer $JWT" "http://127.0.0.1:$EDGE_PORT/protected" ||
  die "the edge refused the benchmark JWT (see $WORK/edge.log)"
curl -fsS -o /dev/null -k "https://127.0.0.1:$EDGE_TLS_PORT/" || die "the edge's TLS listener does not answer"
curl -fsS -o /dev/null -k "https://127.0.0.1:$NGINX_TLS_PORT/" || die "nginx's TLS listener does not answer"

WRK=(-t"$THREADS" -c"$CONNECTIONS")
say "Warming up the edge for ${WARMUP}s ..."
wrk "${WRK[@]}" -d"$((WARMUP / 2))s" "http://127.0.0.1:$EDGE_PORT/" >/dev/null
wrk "${WRK[@]}" -d"$((WARMUP / 4))s" -H "Authorization: Bearer $JWT" "http://127.0.0.1:$EDGE_PORT/protected" >/dev/null
wrk "${WRK[@]}" -d"$((WARMUP / 4))s" "https://127.0.0.1:$EDGE_TLS_PORT/" >/dev/null
wrk "${WRK[@]}" -d5s "http://127.0.0.1:$NGINX_PORT/" >/dev/null

results="$WORK/results.txt"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  say "Round $round/$ROUNDS ..."
  run_wrk "a-edge" "$EDGE_PID" -- "${WRK[@]}" -d"${DURATION}s" "http://127.0.0.1:$EDGE_PORT/" >> "$results"
  run_wrk "a-nginx" $NGINX_PIDS -- "${WRK[@]}" -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/" >> "$results"
  run_wrk "b-edge" "$EDGE_PID" -- "${WRK[@]}" -d"${DURATION}s" -H "Authorization: Bearer $JWT" \
    "http://127.0.0.1:$EDGE_PORT/protected" >> "$results"
  run_wrk "b-nginx" $NGINX_PIDS -- "${WRK[@]}" -d"${DURATION}s" -H "Authorization: Bearer $JWT" \
    "http://127.0.0.1:$NGINX_LIMIT_PORT/protected" >> "$results"
  run_wrk "c-edge" "$EDGE_PID" -- "${WRK[@]}" -d"${DURATION}s" "https://127.0.0.1:$EDGE_TLS_PORT/" >> "$results"
  run_wrk "c-nginx" $NGINX_PIDS -- "${WRK[@]}" -d"${DURATION}s" "https://127.0.0.1:$NGINX_TLS_PORT/" >> "$results"
done
EDGE_RSS_MIB=$(( $(rss_kib "$EDGE_PID") / 1024 ))

stat() { # label column -> median
  awk -v l="$1" -v c="$2" '$1==l {print $c}' "$results" | median
}
say ""
say "scenario  proxy  rps(median)  p50_ms  p99_ms  cpu_us/req"
for s in a b c; do
  for p in edge nginx; do
    printf '%-9s %-6s %11.0f %7.3f %7.3f %11.1f\n' "$s" "$p" "$(stat "$s-$p" 2)" "$(stat "$s-$p" 3)" "$(stat "$s-$p" 4)" "$(stat "$s-$p" 5)"
  done
done
say "edge RSS after load: ${EDGE_RSS_MIB} MiB"
say "(a) plain proxying; (b) edge: JWT verification + a rate limit that never trips, nginx: limit_req only (NGINX OSS"
say "    has no JWT verification); (c) TLS + HTTP/1.1 keep-alive. Access logs off on both sides."
ratio() { awk -v e="$(stat "$1-edge" 2)" -v n="$(stat "$1-nginx" 2)" 'BEGIN { printf "%.2f", (n > 0 ? e / n : 0) }'; }
say "edge (b) vs edge (a): $(awk -v b="$(stat b-edge 2)" -v a="$(stat a-edge 2)" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')"
say "edge/nginx rps ratio: a=$(ratio a) b=$(ratio b) c=$(ratio c)"
