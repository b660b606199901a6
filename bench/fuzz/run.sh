#!/usr/bin/env bash
# ./atrium bench fuzz — the Jazzer fuzz targets (every *Fuzz.java) for longer than CI's 15 s each.
# Env: FUZZ_DURATION (default 10m per target), MODULES (default: every module with fuzz targets).
# A finding fails the run; Jazzer leaves the crashing input as crash-<sha1> in the module's directory: move it to
# src/test/resources/<package>/<Class>Inputs/ so that every later test run replays it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
DURATION=${FUZZ_DURATION:-10m}
MODULES=${MODULES:-shared-policies,graphql-kit,edge-proxy,federation-router}
say "Fuzzing every target in $MODULES for $DURATION each ..."
cd "$ROOT"
./mvnw -B -q -DskipTests install -pl "$MODULES" -am
./mvnw -B surefire:test@fuzz -pl "$MODULES" -Dfuzz.duration="$DURATION" -Dfuzz.seed="${FUZZ_SEED:-0}" 2>&1 \
  | grep -E "Done [0-9]+ runs|Tests run:|FAIL|Finding|crash-" || true
for report in */target/fuzz-reports/TEST-*.xml; do
  grep -q '<failure\|<error' "$report" && die "finding in $(basename "$report" .xml | sed 's/^TEST-//')"
done
say "fuzz: no finding"
