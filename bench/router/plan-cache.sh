#!/usr/bin/env bash
# Router CPU per benchmark request with a cached plan, against a reference measured in the same run.
#
#   bench/router/plan-cache.sh [seconds-per-phase]      (default 10; needs the build's offline Maven repo)
#
# Runs io.atrium.router.fixtures.PlanCacheBench (federation-router test sources): the federation-demo benchmark
# query is answered once by real federation-jvm subgraphs on loopback (responses recorded), then on one thread:
#   router    = GraphQLHandler.handle (parse/validate cache hit, plan cache hit, execution with the recorded
#               subgraph responses replayed from memory: request bodies serialized, response bytes parsed,
#               merge, response shaping) + serializing the client's JSON answer;
#   reference = Json.read + Json.write of that ~88 KB answer (the least any JSON-tree router must do).
# Prints CPU µs per request for both and router/reference. Network and subgraph time are not included.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -q -o -pl federation-router test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
cd federation-router
exec "$JAVA_HOME/bin/java" -Xms256m -Xmx256m -XX:+UseParallelGC \
  -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.atrium.router.fixtures.PlanCacheBench "${1:-10}"
