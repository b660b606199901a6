package io.atrium.router.transport;

import io.atrium.router.json.Json;
import io.atrium.router.json.JsonException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * GraphQL over HTTP to subgraphs with the JDK client: non-blocking {@code sendAsync}, pooled keep-alive
 * HTTP/1.1 connections, a per-request timeout. Requests marked {@link SubgraphRequest#h2c()} go through a second
 * client that asks for HTTP/2: on http URLs the JDK sends the first request of each connection as HTTP/1.1 with
 * {@code Upgrade: h2c} and continues in HTTP/2 when the subgraph switches protocols (HTTP/1.1 otherwise); it has
 * no prior-knowledge mode.
 */
public final class HttpSubgraphTransport implements SubgraphTransport, AutoCloseable {
    private final HttpClient client;
    private final HttpClient http2;

    public HttpSubgraphTransport() {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.http2 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Override
    public CompletionStage<SubgraphResponse> fetch(SubgraphRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", request.query());
        if (request.operationName() != null) {
            body.put("operationName", request.operationName());
        }
        if (!request.variables().isEmpty()) {
            body.put("variables", request.variables());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.url())
                .timeout(request.timeout())
                .header("content-type", "application/json")
                .header("accept", "application/graphql-response+json, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
        request.headers().forEach(builder::header);
        HttpRequest http = builder.build();
        return (request.h2c() ? http2 : client).sendAsync(http, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(toFetchException(request, failure));
                    }
                    return parse(request, response);
                });
    }

    private static SubgraphFetchException toFetchException(SubgraphRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String what = cause instanceof HttpTimeoutException ? "timed out after " + request.timeout().toMillis() + " ms"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new SubgraphFetchException("HTTP fetch failed from '" + request.subgraphName() + "': " + what, cause);
    }

    @SuppressWarnings("unchecked")
    private static SubgraphResponse parse(SubgraphRequest request, HttpResponse<byte[]> response) {
        Object json;
        try {
            json = Json.read(response.body());
        } catch (JsonException e) {
            throw new SubgraphFetchException("HTTP fetch failed from '" + request.subgraphName() + "': status "
                    + response.statusCode() + ", body is not JSON");
        }
        if (!(json instanceof Map<?, ?> map) || !(map.containsKey("data") || map.containsKey("errors"))) {
            throw new SubgraphFetchException("HTTP fetch failed from '" + request.subgraphName() + "': status "
                    + response.statusCode() + ", body is not a GraphQL response");
        }
        Object data = map.get("data");
        List<Map<String, Object>> errors = new ArrayList<>();
        if (map.get("errors") instanceof List<?> list) {
            for (Object error : list) {
                if (error instanceof Map<?, ?> e) {
                    errors.add((Map<String, Object>) e);
                }
            }
        }
        return new SubgraphResponse(data instanceof Map<?, ?> d ? (Map<String, Object>) d : null, errors);
    }

    @Override
    public void close() {
        client.close();
        http2.close();
    }
}
