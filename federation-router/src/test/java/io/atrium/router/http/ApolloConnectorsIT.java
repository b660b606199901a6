package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atrium.router.connector.JsonReplies;
import io.atrium.router.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Apollo Connectors unchanged: the router runs a supergraph that @apollo/composition composed from two connector
 * subgraphs (connect v0.2 and v0.3, {@code composition/equivalence/connectors-shop.yaml}) against a REST backend on loopback.
 * The backend's {@code Cache-Control} passes through to the router's answer, merged across the calls of a fetch.
 */
class ApolloConnectorsIT {

    private static HttpServer backend;
    private static RouterUnderTest router;
    private static final AtomicInteger userBatches = new AtomicInteger();
    private static final List<List<Object>> batchIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final Map<String, String> seenHeaders = new ConcurrentHashMap<>();

    private static final Map<String, Map<String, Object>> PRODUCTS = Map.of(
            "p1", Map.of("id", "p1", "name", "Pen", "price", Map.of("amount", 1.5, "currency", "EUR")),
            "p2", Map.of("id", "p2", "name", "Ink", "price", Map.of("amount", 4, "currency", "GBP")));
    private static final Map<String, String> USERS = Map.of("u1", "Ada", "u2", "Grace", "u3", "Linus");

    @BeforeAll
    static void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.createContext("/products", ApolloConnectorsIT::products);
        backend.createContext("/reviews", exchange -> {
            Map<?, ?> body = (Map<?, ?>) Json.read(exchange.getRequestBody().readAllBytes());
            int stars = ((Number) body.get("stars")).intValue();
            if (stars > 5) {
                JsonReplies.reply(exchange, 422, Map.of("type", "https://example.test/invalid", "title", "Invalid review",
                        "status", 422, "detail", "rating must be 1-5"));
            } else {
                JsonReplies.reply(exchange, 201, Map.of("id", "r9", "stars", stars, "authorId", "u1"));
            }
        });
        backend.createContext("/me", exchange -> {
            String user = exchange.getRequestHeaders().getFirst("x-user");
            JsonReplies.reply(exchange, 200, Map.of("id", user, "name", USERS.get(user)));
        });
        backend.createContext("/users/batch", exchange -> {
            userBatches.incrementAndGet();
            List<?> ids = (List<?>) ((Map<?, ?>) Json.read(exchange.getRequestBody().readAllBytes())).get("ids");
            batchIds.add(new ArrayList<>(ids));
            List<Object> users = new ArrayList<>();
            for (Object id : ids) {
                users.addFirst(Map.of("id", id, "name", USERS.get((String) id)));
            }
            JsonReplies.reply(exchange, 200, users);
        });
        backend.start();
        String base = "http://127.0.0.1:" + backend.getAddress().getPort();
        Map<String, Object> fixture = new Yaml().load(Files.readString(
                Path.of("src/test/resources/composition/equivalence/connectors-shop.yaml")));
        router = RouterUnderTest.start(RouterUnderTest.newDirectory(), (String) fixture.get("supergraph"), """
                format_version: 1
                subgraph_defaults:
                  forward_headers: [authorization, x-user]
                connectors:
                  rest:
                    catalog:
                      sources: {api: {base_url: %s}}
                      config: {apiKey: k-123}
                    people:
                      sources: {api: {base_url: %s}}
                      entity_concurrency: 2
                """.formatted(base, base));
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        backend.stop(0);
    }

    private static void products(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        seenHeaders.put("x-api-key", String.valueOf(exchange.getRequestHeaders().getFirst("x-api-key")));
        seenHeaders.put("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("authorization")));
        if (path.equals("/products")) {
            seenHeaders.put("query", String.valueOf(exchange.getRequestURI().getRawQuery()));
            exchange.getResponseHeaders().add("etag", "\"v1\"");
            exchange.getResponseHeaders().add("cache-control", "public, max-age=60");
            JsonReplies.reply(exchange, 200, Map.of("items", List.of(PRODUCTS.get("p1"), PRODUCTS.get("p2"))));
            return;
        }
        String[] parts = path.split("/");
        Map<String, Object> product = PRODUCTS.get(parts[2]);
        if (product == null) {
            JsonReplies.reply(exchange, 404, Map.of("title", "Not found", "status", 404, "detail", "no product " + parts[2]));
        } else if (parts.length == 4) {
            JsonReplies.reply(exchange, 200, parts[2].equals("p1")
                    ? List.of(Map.of("id", "r1", "stars", 5, "authorId", "u1"), Map.of("id", "r2", "stars", 3, "authorId", "u2"))
                    : List.of(Map.of("id", "r3", "stars", 4, "authorId", "u3"), Map.of("id", "r4", "stars", 2, "authorId", "u1")));
        } else {
            exchange.getResponseHeaders().add("cache-control", "public, max-age=120");
            JsonReplies.reply(exchange, 200, product);
        }
    }


    @SuppressWarnings("unchecked")
    private static Map<String, Object> graphql(String query, String... headers) throws Exception {
        HttpResponse<String> response = router.post(RouterUnderTest.queryBody(query), headers);
        return (Map<String, Object>) Json.read(response.body());
    }

    @Test
    void fieldAndTypeConnectorsJoinAcrossTwoConnectorSubgraphsWithBatchedEntities() throws Exception {
        int before = userBatches.get();
        batchIds.clear();
        Map<String, Object> response = graphql("{ products(limit: 2) { id name price currency etag "
                + "reviews { rating author { id name } } } }", "authorization", "Bearer t0k");
        assertThat(response).doesNotContainKey("errors");
        assertThat(response.get("data")).isEqualTo(Json.read("""
                {"products": [
                  {"id": "p1", "name": "Pen", "price": 1.5, "currency": "EUR", "etag": "\\"v1\\"", "reviews": [
                    {"rating": 5, "author": {"id": "u1", "name": "Ada"}}, {"rating": 3, "author": {"id": "u2", "name": "Grace"}}]},
                  {"id": "p2", "name": "Ink", "price": 4, "currency": "USD", "etag": "\\"v1\\"", "reviews": [
                    {"rating": 4, "author": {"id": "u3", "name": "Linus"}}, {"rating": 2, "author": {"id": "u1", "name": "Ada"}}]}]}
                """));
        // three distinct authors, batch.maxSize 2: two calls, every id asked once
        assertThat(userBatches.get() - before).isEqualTo(2);
        assertThat(batchIds.stream().flatMap(List::stream).sorted().toList()).containsExactly("u1", "u2", "u3");
        assertThat(seenHeaders).containsEntry("x-api-key", "k-123").containsEntry("authorization", "Bearer t0k")
                .containsEntry("query", "limit=2");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailedCallIsANullFieldWithTheSourceErrorsMapping() throws Exception {
        Map<String, Object> response = graphql("{ product(id: \"p9\") { id name } }");
        assertThat((Map<String, Object>) response.get("data")).containsEntry("product", null);
        List<Map<String, Object>> errors = (List<Map<String, Object>>) response.get("errors");
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("message", "Not found").containsEntry("path", List.of("product"));
            assertThat((Map<String, Object>) error.get("extensions"))
                    .containsEntry("code", "CONNECTOR_FETCH")
                    .containsEntry("status", 404)
                    .containsEntry("detail", "no product p9")
                    .containsEntry("connector", Map.of("coordinate", "catalog:Query.product@connect[0]"));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void mutationsPostTheirBodyAndReportStatusAndProblemFields() throws Exception {
        Map<String, Object> created = graphql("mutation { createReview(productId: \"p1\", rating: 4) { id rating status author { name } } }");
        assertThat(created.get("data")).isEqualTo(Map.of("createReview",
                Map.of("id", "r9", "rating", 4, "status", 201, "author", Map.of("name", "Ada"))));

        Map<String, Object> refused = graphql("mutation { createReview(productId: \"p1\", rating: 9) { id } }");
        assertThat((Map<String, Object>) refused.get("data")).containsEntry("createReview", null);
        assertThat((List<Map<String, Object>>) refused.get("errors")).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("message", "Invalid review");
            assertThat((Map<String, Object>) error.get("extensions")).containsEntry("status", 422)
                    .containsEntry("detail", "rating must be 1-5");
        });
    }

    @Test
    void headersFromTheClientRequestReachTheBackend() throws Exception {
        Map<String, Object> response = graphql("{ me { id name } }", "x-user", "u2");
        assertThat(response.get("data")).isEqualTo(Map.of("me", Map.of("id", "u2", "name", "Grace")));
    }

    @Test
    void theBackendsCacheControlPassesThroughMergedAcrossTheCalls() throws Exception {
        assertThat(cacheControl("{ product(id: \"p1\") { id name } }")).isEqualTo("public, max-age=120");
        // two REST calls in one connector fetch: the shorter max-age
        assertThat(cacheControl("{ product(id: \"p1\") { id name } products(limit: 2) { id } }"))
                .isEqualTo("public, max-age=60");
        // the reviews call sends no Cache-Control: nothing vouches for the answer
        assertThat(cacheControl("{ product(id: \"p1\") { id reviews { rating } } }")).isEqualTo("no-store");
        // a failed call is an error in the answer
        assertThat(cacheControl("{ product(id: \"p9\") { id } }")).isEqualTo("no-store");
    }

    private static String cacheControl(String query) throws Exception {
        HttpResponse<String> response = router.post(RouterUnderTest.queryBody(query));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("cache-control").orElse(null);
    }
}
