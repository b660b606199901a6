# Sourced by bench/connectors/run.sh and graphql.sh (after bench/lib.sh): the load settings both halves share, the
# jars and the JDK. SHORT=1 is a validation run (2 s warm-up, 1 round of 3 s).
if [ "${SHORT:-0}" = 1 ]; then WARMUP=${WARMUP:-2}; ROUNDS=${ROUNDS:-1}; DURATION=${DURATION:-3}; fi
WARMUP=${WARMUP:-15}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
VERSION=0.1.0-SNAPSHOT
EXAMPLES_JAR="$ROOT/examples/target/atrium-examples-$VERSION-all.jar"
ROUTER_JAR="$ROOT/federation-router/target/atrium-federation-router-$VERSION.jar"
JAVA=${JAVA_HOME:?JAVA_HOME must name a JDK 25 (./atrium bench sets it)}/bin/java
need_debian_packages wrk curl
[ -f "$EXAMPLES_JAR" ] && [ -f "$ROUTER_JAR" ] || die "build first: ./atrium build"
RATIOS="$ROOT/bench/.work/connectors-graphql.ratios"   # written by graphql.sh, read by run.sh for its last line
