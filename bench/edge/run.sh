#!/usr/bin/env bash
# ./atrium bench edge — the edge proxy and NGINX proxying the same small upstream, measured in one run with wrk on
# loopback (wrk; h2load for HTTP/2). Scenarios: (a) plain proxying, (b) JWT verification + a rate limit that never
# trips, (c) TLS + HTTP/1.1 keep-alive, (d) HTTP/2 over TLS (H2_STREAMS concurrent streams over H2_CONNECTIONS
# connections), (e) = (b) with the rate limit kept in a real redis-server (a second edge instance, whose only difference
# is `rate_limit.store: redis`; NGINX has no Redis limiter, so (e) is compared with the edge's own (b) and NGINX's (b)),
# (f) header and JSON-field transformations (NGINX: proxy_set_header, proxy_hide_header, add_header, sub_filter).
# Tracing: a third edge, identical to the main one but with OpenTelemetry tracing on (every request sampled, spans
# exported over OTLP/HTTP to a local sink that keeps nothing; TRACING_RATIO lowers the sampled share), runs (a) in
# every round: the "edge tracing:" line compares it with the main edge, whose tracing is off.
# Rounds are interleaved (edge, nginx, edge, nginx ...) so machine noise hits both alike; medians are reported.
# Bounded: WARMUP seconds of load on the JVMs first, then ROUNDS x DURATION seconds per scenario and proxy.
# Env: WARMUP (40), ROUNDS (5), DURATION (10), CONNECTIONS (64), THREADS (2), H2_CONNECTIONS (4), H2_STREAMS (64),
#      EDGE_JAR (the built jar), EDGE_JAVA_OPTS (common.sh); QUICK=1 checks the script in about a minute (WARMUP 6,
#      ROUNDS 1, DURATION 2 unless set; its figures mean nothing); TRACING_RATIO (1) the traced edge's sampled share.
#      To compare two builds of the edge: profile.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK="$ROOT/bench/.work/edge"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=common.sh
source "$ROOT/bench/edge/common.sh"

if [ "${QUICK:-0}" = 1 ]; then
  WARMUP=${WARMUP:-6} ROUNDS=${ROUNDS:-1} DURATION=${DURATION:-2}
fi
WARMUP=${WARMUP:-40}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
H2_CONNECTIONS=${H2_CONNECTIONS:-4}
H2_STREAMS=${H2_STREAMS:-64}
EDGE_JAR=${EDGE_JAR:-"$ROOT/edge-proxy/target/atrium-edge-proxy-0.1.0-SNAPSHOT.jar"}
JAVA=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin/java

need_debian_packages wrk nginx curl openssl h2load:nghttp2-client redis-server redis-cli:redis-tools
[ -f "$EDGE_JAR" ] || die "build first: ./atrium build"
rm -rf "$WORK" && mkdir -p "$WORK"

UPSTREAM_PORT=$(free_port)
NGINX_PORT=$(free_port)
EDGE_PORT=$(free_port)
EDGE_ADMIN_PORT=$(free_port)
EDGE_REDIS_PORT=$(free_port)
EDGE_TRACED_PORT=$(free_port)
OTLP_PORT=$(free_port)
REDIS_PORT=$(free_port)
pids_to_stop=()
cleanup() {
  for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/upstream/nginx.pid" ] && kill "$(cat "$WORK/upstream/nginx.pid")" 2>/dev/null || true
  [ -f "$WORK/proxy/nginx.pid" ] && kill "$(cat "$WORK/proxy/nginx.pid")" 2>/dev/null || true
  [ -f "$WORK/sink/nginx.pid" ] && kill "$(cat "$WORK/sink/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

NGINX_LIMIT_PORT=$(free_port)
NGINX_TLS_PORT=$(free_port)
NGINX_H2_PORT=$(free_port)
NGINX_TRANSFORM_PORT=$(free_port)
EDGE_TLS_PORT=$(free_port)

# TLS material for (c): one self-signed EC P-256 certificate both proxies serve.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1 ||
  die "openssl could not make a test certificate"
openssl pkcs8 -topk8 -nocrypt -in "$WORK/key.pem" -out "$WORK/key.pk8.pem"

# JWT for (b).
make_bench_jwt

# The small upstream all proxies call: NGINX answering a fixed 2-byte body, one worker.
nginx_conf "$WORK/upstream" "$(upstream_server "$UPSTREAM_PORT")" 1
# The traced edge's OTLP sink: accepts every export and keeps nothing (an NGINX of its own, off the measured ones).
nginx_conf "$WORK/sink" "server { listen 127.0.0.1:$OTLP_PORT; location / { return 200; } }" 1
# NGINX before 1.25.1 switches HTTP/2 on in the listen directive, later ones with `http2 on`.
if printf '%s\n%s\n' 1.25.1 "$(nginx -v 2>&1 | sed 's|.*/||')" | sort -V -C; then
  NGINX_H2_LISTEN="listen 127.0.0.1:$NGINX_H2_PORT ssl; http2 on;"
else
  NGINX_H2_LISTEN="listen 127.0.0.1:$NGINX_H2_PORT ssl http2;"
fi
# The reference proxy: (a) plain, (b) with a rate limit that never trips (NGINX OSS cannot verify a JWT), (c) TLS,
# (d) HTTP/2 over TLS, (f) the transformations of common.sh's `transformed` route. A location with its own
# proxy_set_header inherits none from the http level, so (f) repeats `Connection ""` (upstream keep-alive).
nginx_conf "$WORK/proxy" "upstream backend { server 127.0.0.1:$UPSTREAM_PORT; keepalive 128; }
  limit_req_zone \$binary_remote_addr zone=bench:10m rate=1000000r/s;
  proxy_http_version 1.1;
  proxy_set_header Connection \"\";
  ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem; ssl_protocols TLSv1.2 TLSv1.3;
  server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://backend; } }
  server { listen 127.0.0.1:$NGINX_LIMIT_PORT; location / { limit_req zone=bench burst=1000000 nodelay; proxy_pass http://backend; } }
  server { listen 127.0.0.1:$NGINX_TLS_PORT ssl; location / { proxy_pass http://backend; } }
  server { $NGINX_H2_LISTEN location / { proxy_pass http://backend; } }
  server { listen 127.0.0.1:$NGINX_TRANSFORM_PORT; location / { proxy_pass http://backend;
    proxy_set_header Connection \"\"; proxy_set_header X-Source edge; proxy_set_header X-Debug \"\";
    proxy_set_header X-Tenant \$http_x_old_tenant; proxy_set_header X-Old-Tenant \"\";
    proxy_hide_header X-Internal-Trace; add_header X-Served-By transformed;
    sub_filter_types application/json; sub_filter '\"internal\":\"secret-notes\",' ''; sub_filter_once on; } }" auto
wait_http "http://127.0.0.1:$UPSTREAM_PORT/"
wait_http "http://127.0.0.1:$NGINX_PORT/"
NGINX_PIDS=$(pgrep -P "$(cat "$WORK/proxy/nginx.pid")" | tr '\n' ' ')

# (e)'s rate-limit store: a real redis-server, nothing persisted.
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 &
REDIS_PID=$!
pids_to_stop+=("$REDIS_PID")
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do
  kill -0 "$REDIS_PID" 2>/dev/null || die "redis-server did not start ($WORK/redis.log)"
  sleep 0.1
done

# Access logs are off on both sides: this measures the proxy path, not log I/O. Two edge instances: the main one, and
# (e)'s, whose rate-limit store (a global setting) is Redis.
cat > "$WORK/edge.yaml" <<CONF
format_version: 1
listeners:
  http: { host: 127.0.0.1, port: $EDGE_PORT }
  https: { host: 127.0.0.1, port: $EDGE_TLS_PORT, cert_file: "$WORK/cert.pem", key_file: "$WORK/key.pk8.pem" }
$(edge_routes_yaml "$UPSTREAM_PORT")
CONF
cat > "$WORK/edge-redis.yaml" <<CONF
format_version: 1
listeners:
  http: { host: 127.0.0.1, port: $EDGE_REDIS_PORT }
rate_limit: { store: redis, redis: { url: "redis://127.0.0.1:$REDIS_PORT" } }
$(edge_routes_yaml "$UPSTREAM_PORT")
CONF
cat > "$WORK/edge-traced.yaml" <<CONF
format_version: 1
listeners:
  http: { host: 127.0.0.1, port: $EDGE_TRACED_PORT }
$(edge_routes_yaml "$UPSTREAM_PORT")
CONF
ATRIUM_EDGE_CONFIG="$WORK/edge.yaml" ATRIUM_PORT=$EDGE_ADMIN_PORT \
  "$JAVA" $EDGE_JAVA_OPTS -jar "$EDGE_JAR" > "$WORK/edge.log" 2>&1 &
EDGE_PID=$!
pids_to_stop+=("$EDGE_PID")
ATRIUM_EDGE_CONFIG="$WORK/edge-redis.yaml" ATRIUM_PORT=$(free_port) \
  "$JAVA" $EDGE_JAVA_OPTS -jar "$EDGE_JAR" > "$WORK/edge-redis.log" 2>&1 &
EDGE_REDIS_PID=$!
pids_to_stop+=("$EDGE_REDIS_PID")
# shellcheck disable=SC2046 # one assignment per line
env $(otel_env "$OTLP_PORT") ATRIUM_EDGE_CONFIG="$WORK/edge-traced.yaml" ATRIUM_PORT=$(free_port) \
  "$JAVA" $EDGE_JAVA_OPTS -jar "$EDGE_JAR" > "$WORK/edge-traced.log" 2>&1 &
EDGE_TRACED_PID=$!
pids_to_stop+=("$EDGE_TRACED_PID")
wait_http "http://127.0.0.1:$EDGE_PORT/" 90
wait_http "http://127.0.0.1:$EDGE_TRACED_PORT/" 90
grep -q 'OpenTelemetry traces on' "$WORK/edge-traced.log" || die "the traced edge did not switch tracing on ($WORK/edge-traced.log)"
wait_http "http://127.0.0.1:$EDGE_REDIS_PORT/" 90
curl -fsS -o /dev/null -H "Authorization: Bearer $JWT" "http://127.0.0.1:$EDGE_PORT/protected" ||
  die "the edge refused the benchmark JWT (see $WORK/edge.log)"
curl -fsS -o /dev/null -k "https://127.0.0.1:$EDGE_TLS_PORT/" || die "the edge's TLS listener does not answer"
curl -fsS -o /dev/null -k "https://127.0.0.1:$NGINX_TLS_PORT/" || die "nginx's TLS listener does not answer"
h2load -n 1 "https://127.0.0.1:$EDGE_TLS_PORT/" | grep -q 'Application protocol: h2' || die "the edge does not speak h2 over TLS"
h2load -n 1 "https://127.0.0.1:$NGINX_H2_PORT/" | grep -q 'Application protocol: h2' || die "nginx does not speak h2 over TLS"
# The edge connects to Redis in the background (and lets requests through meanwhile): wait until Redis has run a
# decision (the GCRA script; its keys expire within microseconds at this limit, so they are not looked for).
start=$SECONDS
until redis-cli -p "$REDIS_PORT" info commandstats | grep -Eq '^cmdstat_(evalsha|eval):calls=[1-9]'; do
  curl -fsS -o /dev/null -H "Authorization: Bearer $JWT" "http://127.0.0.1:$EDGE_REDIS_PORT/protected" ||
    die "the Redis-limited edge refused the benchmark JWT (see $WORK/edge-redis.log)"
  [ $((SECONDS - start)) -lt 30 ] || die "the Redis-limited edge keeps nothing in Redis (see $WORK/edge-redis.log)"
  sleep 0.2
done
curl -fsS -D - -o /dev/null -H "Authorization: Bearer $JWT" "http://127.0.0.1:$EDGE_REDIS_PORT/protected" |
  grep -qi '^RateLimit-Remaining' || die "the Redis-limited edge sent no RateLimit headers"
# (f) must do the same work on both sides: the JSON field and the upstream's header gone, the added header there.
TRANSFORM_HEADERS=(-H "X-Old-Tenant: acme" -H "X-Debug: 1")
for url in "http://127.0.0.1:$EDGE_PORT/item" "http://127.0.0.1:$NGINX_TRANSFORM_PORT/item"; do
  answer=$(curl -fsS -i "${TRANSFORM_HEADERS[@]}" "$url") || die "$url does not answer"
  grep -q '"internal"' <<<"$answer" && die "$url kept the JSON field (f) removes"
  grep -qi '^X-Internal-Trace' <<<"$answer" && die "$url kept the header (f) removes"
  grep -qi '^X-Served-By: transformed' <<<"$answer" || die "$url did not add the header (f) adds"
  grep -q '"price":9.5' <<<"$answer" || die "$url lost the rest of the JSON document"
done

WRK=(-t"$THREADS" -c"$CONNECTIONS")
H2=(-t"$THREADS" -c"$H2_CONNECTIONS" -m"$((H2_STREAMS / H2_CONNECTIONS))")
say "Warming up the edges for $((WARMUP * 2))s ..."
wrk "${WRK[@]}" -d"$((WARMUP / 2))s" "http://127.0.0.1:$EDGE_PORT/" >/dev/null
wrk "${WRK[@]}" -d"$((WARMUP / 4))s" -H "Authorization: Bearer $JWT" "http://127.0.0.1:$EDGE_PORT/protected" >/dev/null
wrk "${WRK[@]}" -d"$((WARMUP / 4))s" "https://127.0.0.1:$EDGE_TLS_PORT/" >/dev/null
h2load "${H2[@]}" -D"$((WARMUP / 4))" "https://127.0.0.1:$EDGE_TLS_PORT/" >/dev/null
wrk "${WRK[@]}" -d"$((WARMUP / 4))s" "${TRANSFORM_HEADERS[@]}" "http://127.0.0.1:$EDGE_PORT/item" >/dev/null
# (e)'s edge is a JVM of its own: as long a warm-up as the main one's first scenario (less left it still compiling in
# the first rounds).
wrk "${WRK[@]}" -d"$((WARMUP / 2))s" -H "Authorization: Bearer $JWT" "http://127.0.0.1:$EDGE_REDIS_PORT/protected" >/dev/null
wrk "${WRK[@]}" -d"$((WARMUP / 2))s" "http://127.0.0.1:$EDGE_TRACED_PORT/" >/dev/null
wrk "${WRK[@]}" -d5s "http://127.0.0.1:$NGINX_PORT/" >/dev/null

results="$WORK/results.txt"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  say "Round $round/$ROUNDS ..."
  run_wrk "a-edge" "$EDGE_PID" -- "${WRK[@]}" -d"${DURATION}s" "http://127.0.0.1:$EDGE_PORT/" >> "$results"
  run_wrk "a-nginx" $NGINX_PIDS -- "${WRK[@]}" -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/" >> "$results"
  run_wrk "a-edge-traced" "$EDGE_TRACED_PID" -- "${WRK[@]}" -d"${DURATION}s" "http://127.0.0.1:$EDGE_TRACED_PORT/" >> "$results"
  run_wrk "b-edge" "$EDGE_PID" -- "${WRK[@]}" -d"${DURATION}s" -H "Authorization: Bearer $JWT" \
    "http://127.0.0.1:$EDGE_PORT/protected" >> "$results"
  run_wrk "b-nginx" $NGINX_PIDS -- "${WRK[@]}" -d"${DURATION}s" -H "Authorization: Bearer $JWT" \
    "http://127.0.0.1:$NGINX_LIMIT_PORT/protected" >> "$results"
  run_wrk "c-edge" "$EDGE_PID" -- "${WRK[@]}" -d"${DURATION}s" "https://127.0.0.1:$EDGE_TLS_PORT/" >> "$results"
  run_wrk "c-nginx" $NGINX_PIDS -- "${WRK[@]}" -d"${DURATION}s" "https://127.0.0.1:$NGINX_TLS_PORT/" >> "$results"
  run_h2load "d-edge" "$EDGE_PID" -- "${H2[@]}" -D"$DURATION" "https://127.0.0.1:$EDGE_TLS_PORT/" >> "$results"
  run_h2load "d-nginx" $NGINX_PIDS -- "${H2[@]}" -D"$DURATION" "https://127.0.0.1:$NGINX_H2_PORT/" >> "$results"
  # (e)'s CPU counts the edge and redis-server: both are what a Redis-kept limit costs.
  run_wrk "e-edge" "$EDGE_REDIS_PID" "$REDIS_PID" -- "${WRK[@]}" -d"${DURATION}s" -H "Authorization: Bearer $JWT" \
    "http://127.0.0.1:$EDGE_REDIS_PORT/protected" >> "$results"
  run_wrk "f-edge" "$EDGE_PID" -- "${WRK[@]}" -d"${DURATION}s" "${TRANSFORM_HEADERS[@]}" "http://127.0.0.1:$EDGE_PORT/item" >> "$results"
  run_wrk "f-nginx" $NGINX_PIDS -- "${WRK[@]}" -d"${DURATION}s" "${TRANSFORM_HEADERS[@]}" \
    "http://127.0.0.1:$NGINX_TRANSFORM_PORT/item" >> "$results"
done
EDGE_RSS_MIB=$(( $(rss_kib "$EDGE_PID") / 1024 ))

stat() { # label column -> median
  awk -v l="$1" -v c="$2" '$1==l {print $c}' "$results" | median
}
say ""
say "scenario  proxy  rps(median)  p50_ms  p99_ms  cpu_us/req"
for s in a b c d e f; do
  for p in edge nginx; do
    [ "$s-$p" != e-nginx ] || continue
    printf '%-9s %-6s %11.0f %7.3f %7.3f %11.1f\n' "$s" "$p" "$(stat "$s-$p" 2)" "$(stat "$s-$p" 3)" "$(stat "$s-$p" 4)" "$(stat "$s-$p" 5)"
  done
done
say "edge RSS after load: ${EDGE_RSS_MIB} MiB"
say "(a) plain proxying; (b) edge: JWT verification + a rate limit that never trips, nginx: limit_req only (NGINX OSS"
say "    has no JWT verification); (c) TLS + HTTP/1.1 keep-alive; (d) HTTP/2 over TLS, $H2_STREAMS streams over"
say "    $H2_CONNECTIONS connections (h2load; the edge's upstream side stays HTTP/1.1); (e) (b) with the limit kept in"
say "    redis-server (cpu: edge + redis-server); (f) request/response header edits + one JSON field removed. Access logs off."
ratio() { awk -v e="$(stat "$1" 2)" -v n="$(stat "$2" 2)" 'BEGIN { printf "%.2f", (n > 0 ? e / n : 0) }'; }
say "edge (b) vs edge (a): $(ratio b-edge a-edge)"
say "edge/nginx rps ratio: a=$(ratio a-edge a-nginx) b=$(ratio b-edge b-nginx) c=$(ratio c-edge c-nginx) d=$(ratio d-edge d-nginx) f=$(ratio f-edge f-nginx)"
tracing_line edge "$results" a-edge a-edge-traced
say "    (scenario (a); on: OpenTelemetry spans for every request (sample ratio ${TRACING_RATIO:-1}) exported to a local OTLP sink)"
say "edge redis-limit vs local-limit: $(ratio e-edge b-edge) (e/b edge); vs nginx (b): $(ratio e-edge b-nginx)"
