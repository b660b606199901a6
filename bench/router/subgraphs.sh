# Sourced by bench/router/*.sh (after bench/lib.sh): the four sample subgraphs on free ports, and the request body.
# Expects ROOT, HERE, WORK, EXAMPLES_JAR, SUPERGRAPH, JAVA (a JDK 25 java) and a pids_to_stop array.

# Starts accounts/products/inventory/reviews and writes $WORK/supergraph.graphql pointing at them.
# SUBGRAPH_PIDS: their process ids (the benchmark also reports their CPU per request).
SUBGRAPH_PIDS=()
start_sample_subgraphs() {
  local pair name default_port port attempt pid
  cp "$SUPERGRAPH" "$WORK/supergraph.graphql"
  for pair in accounts:4001 products:4002 inventory:4003 reviews:4004; do
    name=${pair%%:*}; default_port=${pair##*:}
    # A free port can be taken by another program before the subgraph binds it: then try another one.
    for attempt in 1 2 3; do
      port=$(free_port)
      "$JAVA" -Xmx256m --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
        -jar "$EXAMPLES_JAR" "$name" --port "$port" > "$WORK/$name.log" 2>&1 &
      pid=$!
      if wait_http "http://127.0.0.1:$port/health" 90 "$pid"; then break; fi
      [ "$attempt" -lt 3 ] || die "$name did not start; see $WORK/$name.log"
    done
    pids_to_stop+=("$pid")
    SUBGRAPH_PIDS+=("$pid")
    sed -i "s#127.0.0.1:$default_port/#127.0.0.1:$port/#" "$WORK/supergraph.graphql"
  done
}

# Writes the benchmark operation as a GraphQL-over-HTTP JSON body and exports BENCH_QUERY_JSON for query.lua.
write_request_body() {
  node -e 'const fs=require("fs");process.stdout.write(JSON.stringify({query:fs.readFileSync(process.argv[1],"utf8"),operationName:"TestQuery"}))' \
    "$HERE/query.graphql" > "$WORK/request.json"
  export BENCH_QUERY_JSON="$WORK/request.json"
}
