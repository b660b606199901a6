package io.atrium.router.http;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * A router started for one test class on a random loopback port, from a config text (and by default the
 * benchmark fixture's supergraph), with a client for it. Files live in a temporary directory of their own, so
 * relative paths in the config (manifests) resolve there.
 */
final class RouterUnderTest implements AutoCloseable {
    private final EmbeddedServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    final Path dir;

    private RouterUnderTest(EmbeddedServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** The benchmark fixture's supergraph (four subgraphs, none running): introspection and __typename answer. */
    static String benchmarkSupergraph() throws Exception {
        Map<String, Object> fixture = new Yaml().load(Files.readString(
                Path.of("src/test/resources/fixtures/demo/benchmark-query.yaml")));
        return (String) fixture.get("supergraph");
    }

    /** A real redis-server on a free loopback port (no persistence), started; its port is {@code ports().getFirst()}. */
    static redis.embedded.RedisServer startRedis() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis.embedded.RedisServer server = redis.embedded.RedisServer.builder().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        return server;
    }

    static Path newDirectory() throws Exception {
        return Files.createTempDirectory("router-under-test");
    }

    static RouterUnderTest start(String config) throws Exception {
        return start(newDirectory(), benchmarkSupergraph(), config);
    }

    static RouterUnderTest start(Path dir, String supergraph, String config) throws Exception {
        return start(dir, supergraph, config, Map.of());
    }

    /** @param properties more context properties for this router alone (e.g. its {@code otel.*} settings) */
    static RouterUnderTest start(Path dir, String supergraph, String config, Map<String, Object> properties)
            throws Exception {
        Path supergraphFile = dir.resolve("supergraph.graphql");
        Files.writeString(supergraphFile, supergraph);
        Path configFile = dir.resolve("router.yaml");
        Files.writeString(configFile, config);
        Map<String, Object> all = new java.util.HashMap<>(properties);
        all.putAll(Map.of(
                "micronaut.server.port", -1,
                "atrium.router.admin-port", 0,
                "atrium.router.config", configFile.toString(),
                "atrium.router.supergraph", supergraphFile.toString()));
        return new RouterUnderTest(ApplicationContext.run(EmbeddedServer.class, all), dir);
    }

    /** A bean of this router's context. */
    <T> T bean(Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    URI uri(String pathAndQuery) {
        return server.getURI().resolve(pathAndQuery);
    }

    /** {@code GET /metrics} on the router's admin listener (Prometheus text). */
    String scrapeMetrics() throws Exception {
        int port = server.getApplicationContext().getBean(io.atrium.router.lifecycle.SupergraphLifecycle.class).adminPort();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    HttpClient client() {
        return client;
    }

    /** POST /graphql with a JSON body and {@code content-type: application/json}, plus header name/value pairs. */
    HttpResponse<String> post(String jsonBody, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/graphql"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GraphQL query as the JSON body's {@code query}. */
    static String queryBody(String query) {
        return "{\"query\":\"" + query.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    @Override
    public void close() {
        server.close();
        client.close();
    }
}
