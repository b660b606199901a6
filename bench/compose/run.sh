#!/usr/bin/env bash
# ./atrium bench compose — Atrium's composer against @apollo/composition and @theguild/federation-composition (from
# npm, pinned by bench/compose/package-lock.json) on the same generated graph, in the same run. Each composer runs in a
# process of its own: the first composition (cold: what a one-shot `supergraph compose` costs, JIT included), then
# ROUNDS more, of which the median is the steady state (what a registry that composes on every publish costs).
# The ratio line is theirs / ours on the medians. Then how long a publish takes to reach two routers following one
# registry (a shared directory; a real redis-server), published through one's admin API, until both serve it.
# Env: SUBGRAPHS (100), ROUNDS (20), PUBLISHES (10).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/compose"
WORK="$ROOT/bench/.work/compose"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"

SUBGRAPHS=${SUBGRAPHS:-100}
ROUNDS=${ROUNDS:-20}
PUBLISHES=${PUBLISHES:-10}
VERSION=0.1.0-SNAPSHOT
ROUTER_JAR="$ROOT/federation-router/target/atrium-federation-router-$VERSION.jar"
JAVA=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin/java

command -v node >/dev/null 2>&1 || die "the reference composers need Node.js 20+ and npm"
need_debian_packages curl redis-server
[ -f "$ROUTER_JAR" ] || die "build first: ./atrium build"
if [ ! -d "$HERE/node_modules/@apollo/composition" ] || [ ! -d "$HERE/node_modules/@theguild/federation-composition" ]; then
  say "Installing the reference composers (npm ci in bench/compose) ..."
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
fi
rm -rf "$WORK" && mkdir -p "$WORK"
node "$HERE/generate.mjs" "$WORK/subgraphs" "$SUBGRAPHS"
say "Generated $SUBGRAPHS subgraphs in $WORK/subgraphs; composing each $((ROUNDS + 1)) times per composer ..."

results=()
results+=("$("$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx2g -cp "$ROUTER_JAR" \
  "$HERE/ComposeTiming.java" "$WORK/subgraphs" "$ROUNDS")")
results+=("$(cd "$HERE" && node --max-old-space-size=4096 compose.mjs "$WORK/subgraphs" apollo "$ROUNDS")")
results+=("$(cd "$HERE" && node --max-old-space-size=4096 compose.mjs "$WORK/subgraphs" guild "$ROUNDS")")

pids_to_stop=()
cleanup() { for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
propagation() { # $1 = label, $2 = registry store; two routers follow it
  local store=$2 urls=() admin="" i port admin_port
  for i in 1 2; do
    port=$(free_port); admin_port=$(free_port)
    ATRIUM_ROUTER_ADMIN_TOKEN="$TOKEN" "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
      -jar "$ROUTER_JAR" --registry "$store" --port "$port" --admin-port "$admin_port" > "$WORK/router-$1-$i.log" 2>&1 &
    pids_to_stop+=("$!")
    local start=$SECONDS
    until curl -fs -m 2 -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$admin_port/registry/subgraphs"; do
      [ $((SECONDS - start)) -lt 60 ] || die "router $i ($1) did not start: see $WORK/router-$1-$i.log"
      sleep 0.2
    done
    urls+=("http://127.0.0.1:$port")
    [ -n "$admin" ] || admin="http://127.0.0.1:$admin_port"
  done
  printf '{"store":"%s",%s\n' "$1" "$(ATRIUM_ROUTER_ADMIN_TOKEN="$TOKEN" "$JAVA" "$HERE/RegistryPropagation.java" "$admin" \
    "$PUBLISHES" "${urls[@]}" | sed 's/^{//')"
}
say "Measuring how fast a publish reaches two routers ($PUBLISHES publishes per store) ..."
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 &
pids_to_stop+=("$!")
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.1; done
propagation file "$WORK/registry" > "$WORK/propagation.jsonl"
propagation redis "redis://127.0.0.1:$REDIS_PORT" >> "$WORK/propagation.jsonl"

printf '%s\n' "${results[@]}" > "$WORK/results.jsonl"
node --input-type=module -e '
import { readFileSync } from "node:fs";
const rows = readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const names = { atrium: "atrium (Java)", apollo: "@apollo/composition", guild: "@theguild/federation-composition" };
console.log("\ncomposer                           first_ms  median_ms  supergraph_types  errors");
const by = {};
for (const r of rows) {
  by[r.impl] = median(r.times);
  console.log(`${names[r.impl].padEnd(34)} ${r.first.toFixed(0).padStart(8)} ${by[r.impl].toFixed(0).padStart(10)} ${String(r.types).padStart(17)}  ${r.errors ? r.errors.join("; ").slice(0, 200) : "none"}`);
}
for (const p of readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => JSON.parse(l))) {
  console.log(`publish reaches ${p.routers} routers (${p.store} store): median ${p.median_ms.toFixed(0)} ms, max ${p.max_ms.toFixed(0)} ms`);
}
const failed = rows.filter((r) => r.errors);
if (failed.length) { console.error("a composer reported errors: the graph must compose everywhere"); process.exit(1); }
console.log(`compose time ratio: vs-apollo=${(by.apollo / by.atrium).toFixed(2)} vs-guild=${(by.guild / by.atrium).toFixed(2)}`);
' "$WORK/results.jsonl" "$WORK/propagation.jsonl"
