package io.atrium.bff.mobile;

import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonWriter;
import io.atrium.graphql.subgraph.FederatedSubgraph;
import io.atrium.graphql.testing.RouterProcess;
import io.atrium.graphql.testing.StackFixtures;
import io.atrium.graphql.testing.TestHttp;
import io.atrium.graphql.testing.TestSubgraph;
import io.atrium.graphql.trusted.Sha256;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole path on loopback: a products subgraph, the real router following a registry directory, and bff-mobile
 * (its own fields published to that registry at start). Helpers speak HTTP to each.
 */
final class MobileStack implements AutoCloseable {
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final TestSubgraph products;
    final TestSubgraph labels;
    final RouterProcess router;
    final EmbeddedServer bff;
    final String bffUrl;

    MobileStack(String extraConfig) throws Exception {
        this(extraConfig, Map.of());
    }

    /** @param properties more Micronaut properties of the BFF (e.g. its {@code otel.*} settings) */
    MobileStack(String extraConfig, Map<String, Object> properties) throws Exception {
        this(extraConfig, properties, false);
    }

    /**
     * @param routerBatching the router accepts batches ({@code batching.enabled}) and the BFF sends an app's batch to
     *                       it as one ({@code router.batch})
     */
    MobileStack(String extraConfig, Map<String, Object> properties, boolean routerBatching) throws Exception {
        products = new TestSubgraph(StackFixtures.products());
        labels = new TestSubgraph(FederatedSubgraph.builder(StackFixtures.resource("/fixtures/stack/labels.graphql"))
                .field("Product", "priceLabel", env -> env.getArgument("locale") + " "
                        + ((Map<?, ?>) env.getSource()).get("price"))
                .build());
        router = new RouterProcess(Files.createTempDirectory("bff-registry"),
                routerBatching ? "format_version: 1\nbatching: { enabled: true, max_operations: 10 }\n" : null);
        admin("PUT", "/registry/subgraphs/products", Map.of("routing_url", products.url(), "sdl",
                StackFixtures.resource("/fixtures/stack/products.graphql")), 200);
        admin("PUT", "/registry/subgraphs/labels", Map.of("routing_url", labels.url(), "sdl",
                StackFixtures.resource("/fixtures/stack/labels.graphql")), 200);
        int bffPort = RouterProcess.freePort();
        Path config = Files.createTempFile("mobile", ".yaml");
        Files.writeString(config, """
                format_version: 1
                name: bff-mobile
                router: { url: %s, batch: %s }
                registry: { admin_url: %s, poll_ms: 100 }
                subgraph: { name: bff-mobile, routing_url: http://127.0.0.1:%d/subgraph }
                view: { exclude_tags: [ internal, web ] }
                operations: { source: registry, require_id: true, min_versions: { ios: 5.0.0 } }
                response_budget: { max_bytes: 262144, operations: { BigDescriptions: 4096 } }
                demand_control: { enabled: true, max: 500, rate_limit: { limits: [ { units: 10000, period_ms: 2000000000 } ] } }
                """.formatted(router.graphqlUrl(), routerBatching, router.adminUrl(), bffPort) + extraConfig);
        Map<String, Object> all = new java.util.HashMap<>(properties);
        all.putAll(Map.of("micronaut.server.port", bffPort,
                "atrium.bff.config", config.toString(), "atrium.router.admin.token", RouterProcess.TOKEN));
        bff = ApplicationContext.run(EmbeddedServer.class, all);
        bffUrl = "http://127.0.0.1:" + bffPort;
        // the BFF publishes its fields at start
        await("bff-mobile registered", () -> send(HttpRequest.newBuilder(URI.create(router.adminUrl()
                + "/registry/subgraphs/bff-mobile")).header("Authorization", "Bearer " + RouterProcess.TOKEN).build())
                .statusCode() == 200);
    }

    /** An Apollo persisted query manifest of these operations (id = SHA-256 of the body). */
    static Map<String, Object> manifest(String... bodies) {
        List<Object> operations = new ArrayList<>();
        for (String body : bodies) {
            String name = body.replaceFirst("(?s)^\\s*(query|mutation)\\s+(\\w+).*", "$2");
            operations.add(Map.of("id", Sha256.hex(body), "name", name, "type", "query", "body", body));
        }
        return Map.of("format", "apollo-persisted-query-manifest", "version", 1, "operations", operations);
    }

    /** Publishes a manifest for an app version and waits until the BFF serves it. */
    void publishOperations(String client, String version, Map<String, Object> manifest) throws Exception {
        admin("PUT", "/registry/operations/" + client + "/" + version, manifest, 200);
        String someId = (String) ((Map<?, ?>) ((List<?>) manifest.get("operations")).getFirst()).get("id");
        await(client + " " + version + " served", () -> !"PERSISTED_QUERY_NOT_IN_LIST".equals(code(
                postById(client, version, someId, Map.of()))) && !"APP_UPDATE_REQUIRED".equals(code(
                postById(client, version, someId, Map.of()))));
    }

    HttpResponse<String> admin(String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(router.adminUrl() + path))
                .header("Authorization", "Bearer " + RouterProcess.TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JsonWriter.write(body)));
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (expected > 0 && response.statusCode() != expected) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    HttpResponse<String> postById(String client, String version, String id, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("variables", variables);
        body.put("extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", id)));
        return post(client, version, JsonWriter.write(body), Map.of());
    }

    HttpResponse<String> post(String client, String version, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(bffUrl + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (client != null) {
            builder.header("apollographql-client-name", client);
        }
        if (version != null) {
            builder.header("apollographql-client-version", version);
        }
        headers.forEach(builder::header);
        return send(builder.build());
    }

    HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(bffUrl + pathAndQuery)).GET();
        headers.forEach(builder::header);
        return send(builder.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        return TestHttp.send(http, request);
    }

    static Object json(HttpResponse<String> response) {
        return JsonReader.read(response.body());
    }

    /** The first error's {@code extensions.code}, or null. */
    static String code(HttpResponse<String> response) {
        return TestHttp.code(response);
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        TestHttp.await(what, condition);
    }

    @Override
    public void close() throws Exception {
        bff.close();
        router.close();
        products.close();
        labels.close();
        http.close();
    }
}
