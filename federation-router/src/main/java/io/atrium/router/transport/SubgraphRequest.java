package io.atrium.router.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * @param variables the variables to send (JSON values); may contain {@code representations}
 * @param headers   extra request headers (what the config's header rules give for this subgraph)
 * @param h2c       ask for HTTP/2 (h2c upgrade on http URLs)
 * @param spans     with tracing on, the spans a connector's backend calls start under (the fetch span); else null
 */
public record SubgraphRequest(String subgraphName, URI url, String query, String operationName,
                              Map<String, Object> variables, Duration timeout, Map<String, String> headers,
                              boolean h2c, io.atrium.router.observe.OperationSpans spans) {
    public SubgraphRequest(String subgraphName, URI url, String query, String operationName,
                           Map<String, Object> variables, Duration timeout, Map<String, String> headers) {
        this(subgraphName, url, query, operationName, variables, timeout, headers, false);
    }

    public SubgraphRequest(String subgraphName, URI url, String query, String operationName,
                           Map<String, Object> variables, Duration timeout, Map<String, String> headers, boolean h2c) {
        this(subgraphName, url, query, operationName, variables, timeout, headers, h2c, null);
    }

    /** The same request to another URL of the subgraph, with another timeout (one attempt of a resilient call). */
    public SubgraphRequest to(URI otherUrl, Duration attemptTimeout) {
        return new SubgraphRequest(subgraphName, otherUrl, query, operationName, variables, attemptTimeout, headers, h2c,
                spans);
    }

    /**
     * What makes two subgraph requests identical: everything that is sent but the URL (one subgraph's URLs are
     * interchangeable) and the {@code traceparent} (a span id per call, not what is asked).
     */
    public record Identical(String subgraph, String query, String operationName, Map<String, Object> variables,
                            Map<String, String> headers) {
    }

    /** This request as {@link Identical} compares it. */
    public Identical identical() {
        Map<String, String> sent = headers;
        if (sent.containsKey(io.atrium.router.observe.TraceContext.HEADER)) {
            sent = new java.util.HashMap<>(sent);
            sent.remove(io.atrium.router.observe.TraceContext.HEADER);
        }
        return new Identical(subgraphName, query, operationName, variables, sent);
    }

    /** A mutation (the router writes each subgraph operation with its keyword first): never sent twice. */
    public boolean mutation() {
        return query.startsWith("mutation");
    }

    /** The GraphQL-over-HTTP POST body: {@code query}, and {@code operationName} and {@code variables} when set. */
    public byte[] body() {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("query", query);
        if (operationName != null) {
            body.put("operationName", operationName);
        }
        if (!variables.isEmpty()) {
            body.put("variables", variables);
        }
        return io.atrium.router.json.Json.write(body);
    }
}
