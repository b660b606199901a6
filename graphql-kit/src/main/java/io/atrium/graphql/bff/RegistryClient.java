package io.atrium.graphql.bff;

import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The router's registry admin API as a BFF uses it (token from the config; never the public port). */
final class RegistryClient {
    private final HttpClient http;
    private final URI base;
    private final String authorization;

    RegistryClient(HttpClient http, BffConfig.Registry registry) {
        this.http = http;
        this.base = registry.adminUrl();
        this.authorization = "Bearer " + registry.token();
    }

    /** The registry's version (changes with every publish, delete and manifest). */
    CompletionStage<Long> version() {
        return get("/registry/subgraphs").thenApply(r -> r.statusCode() == 200
                && JsonReader.read(r.body()) instanceof Map<?, ?> m && m.get("version") instanceof Number n
                ? n.longValue() : -1L);
    }

    /** The live supergraph SDL, or null while nothing is registered. */
    CompletionStage<String> supergraph() {
        return get("/registry/supergraph").thenApply(r -> r.statusCode() == 200
                ? new String(r.body(), StandardCharsets.UTF_8) : null);
    }

    /** Every client's (and client version's) operations: {@code {"ios/5.2.0": [{id, name, type, body}]}}. */
    @SuppressWarnings("unchecked")
    CompletionStage<Map<String, Object>> operations() {
        return get("/registry/operations").thenApply(r -> {
            if (r.statusCode() != 200 || !(JsonReader.read(r.body()) instanceof Map<?, ?> m)
                    || !(m.get("clients") instanceof Map<?, ?> clients)) {
                throw new IllegalStateException("the registry answered " + r.statusCode() + " for its operations");
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

    private CompletionStage<HttpResponse<byte[]>> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
