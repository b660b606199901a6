# Shared by bench/edge/run.sh and profile.sh (sourced after bench/lib.sh): NGINX instances, the benchmark JWT, the
# edge's routes and its JVM options, so that both scripts measure the same set-up.

# The edge's JVM options. --sun-misc-unsafe-memory-access=allow as in ./atrium and the Dockerfile: without it Netty
# (JDK 24+) leaves Unsafe alone and copies buffers byte by byte, which is not how the edge ships.
EDGE_JAVA_OPTS=${EDGE_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow}

nginx_conf() { # dir, server block(s), worker processes: writes the config and starts NGINX
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

# The small upstream every proxy calls (one NGINX worker): a fixed 2-byte body, and for (f) under /item a small JSON
# document with a field and a response header the transformations remove.
upstream_server() { # port
  cat <<CONF
server { listen 127.0.0.1:$1;
    location / { return 200 'ok'; }
    location /item { default_type application/json; add_header X-Internal-Trace t-1842;
      return 200 '{"id":42,"name":"widget","internal":"secret-notes","price":9.5,"tags":["a","b"]}'; } }
CONF
}

# Sets JWK_K (the HS256 key as a JWK "k") and JWT (a token for it, valid for 2 h): the edge verifies it (and caches the
# verification, as it would in production).
make_bench_jwt() {
  b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
  jwt_part() { printf '%s' "$1" | b64url; }
  local key_hex unsigned
  key_hex=$(openssl rand -hex 32)
  JWK_K=$(printf '%b' "$(printf '%s' "$key_hex" | sed 's/../\\x&/g')" | b64url)
  unsigned="$(jwt_part '{"alg":"HS256","typ":"JWT","kid":"bench"}').$(jwt_part "{\"iss\":\"bench\",\"aud\":\"bench\",\"sub\":\"bench-user\",\"scope\":\"bench\",\"exp\":$(( $(date +%s) + 7200 ))}")"
  JWT="$unsigned.$(printf '%s' "$unsigned" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | b64url)"
}

# The route file below `listeners:` (which the caller writes): access log off, the JWT issuer, one upstream cluster
# ($1 = its port), the plain route (a), the protected one (b) with a rate limit that never trips, and (f) a route that
# transforms request and response headers and removes a JSON field (what run.sh's NGINX does with proxy_set_header,
# proxy_hide_header, add_header and sub_filter).
edge_routes_yaml() {
  cat <<CONF
access_log: { enabled: false }
auth:
  jwt:
    issuers: [ bench ]
    audiences: [ bench ]
    algorithms: [ HS256 ]
    keys: [ '{"kty":"oct","kid":"bench","alg":"HS256","k":"$JWK_K"}' ]
clusters:
  upstream:
    endpoints: [ "http://127.0.0.1:$1" ]
routes:
  - name: plain
    match: { path_prefix: / }
    cluster: upstream
    auth: { public: true }
  - name: protected
    match: { path_prefix: /protected }
    cluster: upstream
    auth: { credentials: [ jwt ] }
    rate_limit: { key: subject, limits: [ { requests: 1000000, period: 1s } ] }
  - name: transformed
    match: { path_prefix: /item }
    cluster: upstream
    auth: { public: true }
    transform:
      request:
        headers: { add: { X-Source: edge }, remove: [ X-Debug ], rename: { X-Old-Tenant: X-Tenant } }
      response:
        headers: { add: { X-Served-By: transformed }, remove: [ X-Internal-Trace ] }
        json: { remove: [ "\$.internal" ] }
CONF
}
