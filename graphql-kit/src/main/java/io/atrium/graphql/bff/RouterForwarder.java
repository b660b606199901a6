package io.atrium.graphql.bff;

import io.atrium.graphql.http.GraphQLHttpRequest;
import io.atrium.graphql.http.HeaderLookup;
import io.atrium.graphql.json.JsonWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Sends a validated operation to the router: {@code POST /graphql} with the operation, the caller's credentials as the
 * app's {@code HeaderLookup} gives them (the edge's {@code X-Atrium-Assertion}, which the router verifies again, or a
 * bearer token a web session holds), trace context, and the app's name and version
 * ({@code apollographql-client-*} and {@code graphql-client-*}; the BFF's name when the app sent none). A request is
 * sent once: a failure is answered, never retried (a mutation must not run twice).
 */
final class RouterForwarder {
    /** Request headers passed on as they came. */
    private static final List<String> PASSED = List.of("authorization", "x-atrium-assertion", "traceparent", "tracestate",
            "x-request-id");

    private final BffConfig.Router config;
    private final HttpClient http;

    RouterForwarder(BffConfig.Router config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    /** The router's answer: status, body bytes, its {@code Cache-Control}. */
    record Answer(int status, byte[] body, String cacheControl) {
        /** Conservative: any {@code "errors"} key in the body counts (a field of that name makes it uncacheable too). */
        boolean hasErrors() {
            return body.length == 0 || containsErrorsKey(body);
        }

        /** Whether {@code "errors"} (with its quotes) occurs: one pass, no allocation. */
        static boolean containsErrorsKey(byte[] b) {
            for (int i = 0, last = b.length - 8; i <= last; i++) {
                if (b[i] == '"' && b[i + 1] == 'e' && b[i + 2] == 'r' && b[i + 3] == 'r' && b[i + 4] == 'o'
                        && b[i + 5] == 'r' && b[i + 6] == 's' && b[i + 7] == '"') {
                    return true;
                }
            }
            return false;
        }
    }

    CompletionStage<Answer> forward(GraphQLHttpRequest request, HeaderLookup headers, String bffName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", request.query());
        if (request.operationName() != null) {
            body.put("operationName", request.operationName());
        }
        if (!request.variables().isEmpty()) {
            body.put("variables", request.variables());
        }
        String client = request.client().name() != null ? request.client().name() : bffName;
        HttpRequest.Builder builder = HttpRequest.newBuilder(config.url())
                .timeout(Duration.ofMillis(config.timeoutMillis()))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header("apollographql-client-name", client)
                .header("graphql-client-name", client)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonWriter.write(body)));
        if (request.client().version() != null) {
            builder.header("apollographql-client-version", request.client().version());
            builder.header("graphql-client-version", request.client().version());
        }
        for (String name : PASSED) {
            String value = headers.get(name);
            if (value != null) {
                builder.header(name, value);
            }
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Answer(response.statusCode(), response.body(),
                        response.headers().firstValue("cache-control").orElse(null)));
    }
}
