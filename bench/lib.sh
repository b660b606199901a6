# Shared helpers for the benchmarks in bench/: bounded loads on loopback only, references measured in the same run.
# Sourced by bench/<name>/run.sh; expects ROOT (repository root) and WORK (scratch folder) to be set.

say() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# Debian packages the benchmarks need (wrk, nginx). Installs them when missing and we may (root, apt-get). An argument
# is a command that its package of the same name provides, or command:package (h2load:nghttp2-client).
need_debian_packages() {
  local missing=() arg cmd
  for arg in "$@"; do
    cmd=${arg%%:*}
    command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("${arg#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]}; install them with your package manager"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "Installing ${missing[*]} (Debian packages) ..."
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null ||
    die "could not install ${missing[*]}"
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { printf '%s' "$port"; return; }
  done
}

wait_http() { # url [seconds] [pid]: until it answers 2xx; with a pid, returns 1 as soon as that process has exited
  local url=$1 limit=${2:-60} pid=${3:-} start=$SECONDS
  until curl -fsS -m 2 -o /dev/null "$url" 2>/dev/null; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    [ $((SECONDS - start)) -lt "$limit" ] || die "$url did not come up within ${limit}s"
    sleep 0.2
  done
  # A port picked free may have been taken by another program meanwhile: the answer must come from our process.
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
}

# CPU time (clock ticks, user + system) of a set of PIDs, from /proc.
cpu_ticks() {
  local total=0 pid fields
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    fields=$(sed 's/^.*) //' "/proc/$pid/stat")
    total=$((total + $(echo "$fields" | awk '{print $12 + $13}')))
  done
  printf '%s' "$total"
}

rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# run_wrk <label> <pids-of-the-process-under-test> -- <wrk args...>
# Prints one line: label rps p50_ms p99_ms cpu_us_per_request requests
run_wrk() { run_load wrk "$@"; }

# run_h2load <label> <pids-of-the-process-under-test> -- <h2load args...>: the same line as run_wrk.
run_h2load() { run_load h2load "$@"; }

run_load() { # wrk|h2load label pids... -- args...
  local tool=$1 label=$2; shift 2
  local pids=()
  while [ "$1" != "--" ]; do pids+=("$1"); shift; done
  shift
  local before after out figures hz log=""
  hz=$(getconf CLK_TCK)
  before=$(cpu_ticks "${pids[@]}")
  if [ "$tool" = wrk ]; then
    # A long timeout: a slow answer is counted as slow, not dropped as a socket timeout (which would flatter p99).
    out=$(wrk --timeout 30s "$@" --latency 2>&1) || die "wrk failed: $out"
  else
    # h2load prints no percentiles: they come from its per-request log (start, status, duration in microseconds).
    log=$(mktemp "${WORK:-/tmp}/h2load.XXXXXX")
    out=$(h2load --log-file="$log" "$@" 2>&1) || die "h2load failed: $out"
  fi
  after=$(cpu_ticks "${pids[@]}")
  figures=$("${tool}_figures" "$label" "$out" "$log") || exit 1
  [ -z "$log" ] || rm -f "$log"
  awk -v l="$label" -v f="$figures" -v t=$((after - before)) -v hz="$hz" \
    'BEGIN { split(f, x, " "); printf "%s %.0f %.3f %.3f %.1f %d\n", l, x[1], x[2], x[3], (x[4] > 0 ? t / hz * 1e6 / x[4] : 0), x[4] }'
}

wrk_figures() { # label output -> rps p50_ms p99_ms requests
  local out=$2
  if echo "$out" | grep -q "Socket errors"; then
    say "  note: $1: $(echo "$out" | grep 'Socket errors')" >&2
  fi
  if echo "$out" | grep -q "Non-2xx or 3xx responses"; then
    die "$1: some responses were errors: $(echo "$out" | grep 'Non-2xx')"
  fi
  printf '%s %s %s %s\n' "$(echo "$out" | awk '/^Requests\/sec:/{print $2}')" "$(to_ms "$(echo "$out" | awk '$1=="50%"{print $2}')")" \
    "$(to_ms "$(echo "$out" | awk '$1=="99%"{print $2}')")" "$(echo "$out" | awk '/requests in/{print $1}')"
}

h2load_figures() { # label output log -> rps p50_ms p99_ms requests
  local out=$2 done_n
  done_n=$(echo "$out" | awk '/^requests:/ { for (i = 1; i <= NF; i++) if ($(i) ~ /^succeeded/) print $(i - 1) }')
  [ -n "$done_n" ] && [ "$done_n" -gt 0 ] || die "$1: h2load completed no request: $out"
  echo "$out" | grep -q '^requests:.* 0 failed' || die "$1: some requests failed: $(echo "$out" | grep '^requests:')"
  [ "$(echo "$out" | awk '/^status codes:/ { print $5 + $7 + $9 }')" = 0 ] ||
    die "$1: some responses were errors: $(echo "$out" | grep '^status codes')"
  awk -F'\t' '{print $3}' "$3" | sort -n | awk -v n="$done_n" \
    -v r="$(echo "$out" | awk '/^finished in/ { for (i = 1; i <= NF; i++) if ($(i) ~ /^req\/s/) print $(i - 1) }' | tr -d ,)" '
    { d[NR] = $1 }
    END { printf "%s %.3f %.3f %s\n", r, d[int(NR * 0.50) + 1] / 1000, d[int(NR * 0.99) + 1] / 1000, n }'
}

to_ms() { # wrk's 1.23ms / 456.00us / 1.02s -> milliseconds
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 }
    else print 0 }'
}

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END { if (NR == 0) print 0; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2 }'; }

# tracing_line <deployable> <results-file> <off-label> <on-label>: the same-run comparison of a deployable with
# OpenTelemetry tracing off and on (medians of run_load lines: rps in column 2, CPU microseconds per request in 5).
tracing_line() {
  local off_rps on_rps off_cpu on_cpu
  off_rps=$(awk -v l="$3" '$1==l {print $2}' "$2" | median)
  on_rps=$(awk -v l="$4" '$1==l {print $2}' "$2" | median)
  off_cpu=$(awk -v l="$3" '$1==l {print $5}' "$2" | median)
  on_cpu=$(awk -v l="$4" '$1==l {print $5}' "$2" | median)
  awk -v d="$1" -v a="$off_rps" -v b="$on_rps" -v c="$off_cpu" -v e="$on_cpu" 'BEGIN {
    printf "%s tracing: off_rps=%.0f on_rps=%.0f rps_ratio=%.3f off_cpu_us=%.1f on_cpu_us=%.1f cpu_ratio=%.3f\n",
      d, a, b, (a > 0 ? b / a : 0), c, e, (c > 0 ? e / c : 0) }'
}

# The OpenTelemetry settings of a traced deployable under benchmark: every trace sampled (the root sampler decides, as
# wrk sends no traceparent) and exported over OTLP/HTTP to the sink on port $1, which answers 200 and keeps nothing.
# TRACING_RATIO (default 1) lowers the sampled share.
otel_env() { # sink port -> env assignments for `env`
  printf '%s\n' "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$1" "OTEL_TRACES_SAMPLER=parentbased_traceidratio" \
    "OTEL_TRACES_SAMPLER_ARG=${TRACING_RATIO:-1}" "OTEL_SERVICE_NAME=bench"
}
