package io.atrium.graphql.bff;

import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonWriter;
import io.atrium.graphql.transport.LoopHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The router's registry admin API as a BFF uses it (token from the config; never the public port). Reads of a plain
 * {@code http} admin URL go over a kept-alive Netty connection ({@link LoopHttpClient}, on epoll): the view's poll asks
 * every second, code run that rarely stays interpreted, and through the JDK's client each ask cost the BFF several ms
 * of CPU on four threads (~5 % of its CPU under the BFF benchmark's load); the Netty client's channel and codec code
 * is the one the BFF's forwarding to the router keeps compiled under load (there a poll costs under 1 ms).
 * Publishing, and {@code https}, use the JDK's client.
 */
final class RegistryClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final LoopHttpClient loop;

    /** A read's answer: status and body. */
    record Answer(int status, byte[] body) {
    }

    RegistryClient(HttpClient http, BffConfig.Registry registry) {
        this.http = http;
        this.base = registry.adminUrl();
        this.authorization = "Bearer " + registry.token();
        this.loop = "http".equalsIgnoreCase(base.getScheme()) ? new LoopHttpClient("atrium-bff-registry-client",
                (message, cause, outcome) -> new IllegalStateException(message, cause)) : null;
    }

    /** The registry's version (changes with every publish, delete and manifest). */
    CompletionStage<Long> version() {
        return get("/registry/subgraphs").thenApply(r -> r.status() == 200
                && JsonReader.read(r.body()) instanceof Map<?, ?> m && m.get("version") instanceof Number n
                ? n.longValue() : -1L);
    }

    /** The live supergraph SDL, or null while nothing is registered. */
    CompletionStage<String> supergraph() {
        return get("/registry/supergraph").thenApply(r -> r.status() == 200
                ? new String(r.body(), StandardCharsets.UTF_8) : null);
    }

    /** Every client's (and client version's) operations: {@code {"ios/5.2.0": [{id, name, type, body}]}}. */
    @SuppressWarnings("unchecked")
    CompletionStage<Map<String, Object>> operations() {
        return get("/registry/operations").thenApply(r -> {
            if (r.status() != 200 || !(JsonReader.read(r.body()) instanceof Map<?, ?> m)
                    || !(m.get("clients") instanceof Map<?, ?> clients)) {
                throw new IllegalStateException("the registry answered " + r.status() + " for its operations");
            }
            return (Map<String, Object>) clients;
        });
    }

    /** Publishes (or confirms) a subgraph; completes with the HTTP status and body. */
    CompletionStage<HttpResponse<byte[]>> publish(String name, String routingUrl, String sdl, String actor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routing_url", routingUrl);
        body.put("sdl", sdl);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/registry/subgraphs/" + name))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                .header("Content-Type", "application/json").header("X-Atrium-Actor", actor)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(JsonWriter.write(body))).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private CompletionStage<Answer> get(String path) {
        URI url = base.resolve(path);
        if (loop != null) {
            return loop.exchange("registry", "GET", url, Map.of("authorization", authorization), null, TIMEOUT)
                    .thenApply(reply -> new Answer(reply.status(), reply.body()));
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Authorization", authorization).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Answer(response.statusCode(), response.body()));
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
