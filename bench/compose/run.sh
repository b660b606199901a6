#!/usr/bin/env bash
# ./atrium bench compose — Atrium's composer against @apollo/composition and @theguild/federation-composition (from
# npm, pinned by bench/compose/package-lock.json) on the same generated graph, in the same run. Each composer runs in a
# process of its own: the first composition (cold: what a one-shot `supergraph compose` costs, JIT included), then
# ROUNDS more, of which the median is the steady state (what a registry that composes on every publish costs).
# The ratio line is theirs / ours on the medians. Env: SUBGRAPHS (100), ROUNDS (20).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/compose"
WORK="$ROOT/bench/.work/compose"
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"

SUBGRAPHS=${SUBGRAPHS:-100}
ROUNDS=${ROUNDS:-20}
VERSION=0.1.0-SNAPSHOT
ROUTER_JAR="$ROOT/federation-router/target/atrium-federation-router-$VERSION.jar"
JAVA=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin/java

command -v node >/dev/null 2>&1 || die "the reference composers need Node.js 20+ and npm"
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
const failed = rows.filter((r) => r.errors);
if (failed.length) { console.error("a composer reported errors: the graph must compose everywhere"); process.exit(1); }
console.log(`compose time ratio: vs-apollo=${(by.apollo / by.atrium).toFixed(2)} vs-guild=${(by.guild / by.atrium).toFixed(2)}`);
' "$WORK/results.jsonl"
