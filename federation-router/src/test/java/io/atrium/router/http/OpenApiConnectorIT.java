package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.connector.rest.openapi.OpenApiGenerator;
import io.atrium.router.connector.JsonReplies;
import io.atrium.router.json.Json;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenAPI first: the orders service's OpenAPI document (examples) → a generated {@code @connect} subgraph, composed by
 * our composer with the example accounts and products subgraphs, served by the router against an orders backend on
 * loopback that answers as the example service does (seeded order 1001, problem documents).
 */
class OpenApiConnectorIT {

    private static final Path SPEC = Path.of("../examples/src/main/resources/io/atrium/examples/orders/openapi.yaml");
    private static HttpServer backend;
    private static RouterUnderTest router;
    private static String sdl;
    private static String supergraphSdl;
    /** The query strings of {@code GET /orders-by-user} and {@code GET /orders} calls, in arrival order. */
    private static final List<String> byUserCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final List<String> perUserCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final Map<String, Object> ORDER = Map.of("id", "1001", "userId", "1", "status", "PAID",
            "createdAt", "2026-01-02T09:15:00Z", "total", 2014,
            "items", List.of(Map.of("upc", "1", "quantity", 2, "unitPrice", 899)));

    @BeforeAll
    static void start() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        var api = new OpenAPIV3Parser().readLocation(SPEC.toString(), null, options).getOpenAPI();
        sdl = OpenApiGenerator.generate(api, OpenApiGenerator.Options.DEFAULTS);
        CompositionResult result = Composer.compose(List.of(
                new SubgraphSource("accounts", "http://127.0.0.1:1/graphql",
                        Files.readString(Path.of("../config/supergraph/subgraphs/accounts.graphql"))),
                new SubgraphSource("products", "http://127.0.0.1:1/graphql",
                        Files.readString(Path.of("../config/supergraph/subgraphs/products.graphql"))),
                new SubgraphSource("orders", "http://127.0.0.1:4010", sdl)));
        assertThat(result).as("composition of the generated orders subgraph:\n" + sdl)
                .isInstanceOf(CompositionResult.Composed.class);
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.createContext("/orders", OpenApiConnectorIT::orders);
        backend.createContext("/orders-by-user", OpenApiConnectorIT::ordersByUser);
        backend.start();
        supergraphSdl = ((CompositionResult.Composed) result).supergraphSdl();
        router = RouterUnderTest.start(RouterUnderTest.newDirectory(), supergraphSdl, """
                format_version: 1
                connectors:
                  rest:
                    orders:
                      sources: {api: {base_url: "http://127.0.0.1:%d"}}
                """.formatted(backend.getAddress().getPort()));
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
    }

    private static void orders(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("POST")) {
            Map<?, ?> body = (Map<?, ?>) Json.read(exchange.getRequestBody().readAllBytes());
            List<?> items = (List<?>) body.get("items");
            if (((Number) ((Map<?, ?>) items.getFirst()).get("quantity")).intValue() > 100) {
                JsonReplies.reply(exchange, 422, Map.of("type", "urn:atrium:examples:orders:invalid-order", "title", "Invalid order",
                        "status", 422, "detail", "1 field(s) of the order are invalid; see errors.", "instance", "/orders",
                        "errors", List.of(Map.of("field", "items[0].quantity", "message", "must be 1-100"))));
            } else {
                JsonReplies.reply(exchange, 201, Map.of("id", "1009", "userId", body.get("userId"), "status", "PLACED",
                        "createdAt", "2026-12-01T00:00:00Z", "total", 899, "items", List.of(Map.of("upc",
                                ((Map<?, ?>) items.getFirst()).get("upc"), "quantity", 1, "unitPrice", 899))));
            }
        } else if (path.equals("/orders/1001")) {
            JsonReplies.reply(exchange, 200, ORDER);
        } else if (path.equals("/orders")) {
            String query = exchange.getRequestURI().getQuery();
            perUserCalls.add(String.valueOf(query));
            JsonReplies.reply(exchange, 200, "userId=1".equals(query) ? List.of(ORDER) : List.of());
        } else {
            JsonReplies.reply(exchange, 404, Map.of("type", "urn:atrium:examples:orders:not-found", "title", "Order not found",
                    "status", 404, "detail", "There is no order with id '" + path.substring(8) + "'.", "instance", path));
        }
    }

    /**
     * {@code GET /orders-by-user?userIds=a,b}: as the example service answers, but the entries in reverse order (the
     * connector matches them by key, not position) and none for a user id starting with "ghost" (a missing key).
     */
    private static void ordersByUser(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        byUserCalls.add(query);
        List<Object> entries = new java.util.ArrayList<>();
        for (String id : query.substring("userIds=".length()).split(",")) {
            if (!id.startsWith("ghost")) {
                entries.addFirst(Map.of("userId", id, "orders", "1".equals(id) ? List.of(ORDER) : List.of()));
            }
        }
        JsonReplies.reply(exchange, 200, entries);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> graphql(String query) throws Exception {
        return (Map<String, Object>) Json.read(router.post(RouterUnderTest.queryBody(query)).body());
    }

    @Test
    void theGeneratedSubgraphIsReviewableSdl() {
        assertThat(sdl).contains("@link(url: \"https://specs.apollo.dev/connect/v0.2\"")
                .contains("type Order @key(fields: \"id\")")
                .contains("entity: true")
                .contains("placeOrder(input: NewOrderInput!): Order")
                .contains("type User @key(fields: \"id\")\n  @connect(\n    source: \"api\"\n"
                        + "    http: { GET: \"/orders-by-user\", queryParams: \"userIds: $batch.id->joinNotNull(',')\" }\n"
                        + "    batch: { maxSize: 100 }\n    selection: \"\"\"id: userId orders { id userId items {")
                .contains("  ) {\n  id: ID!\n  orders: [Order]\n}")
                .contains("product: Product")
                .contains("type Product @key(fields: \"upc\", resolvable: false)")
                .doesNotContain("ordersByUser").doesNotContain("UserOrders");
    }

    /**
     * What the planner sends the orders subgraph for {@code { users { orders { … } } }} after accounts answered: the
     * batched connector on User asks for every user in one call and matches the answers back by key (they come in
     * another order); a user the backend leaves out is null with an error at its place.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aUsersOrdersForManyUsersAreOneBackendCallMatchedByKey() throws Exception {
        byUserCalls.clear();
        perUserCalls.clear();
        var response = entities(supergraphSdl, List.of("1", "ghost-7", "2", "3"));

        assertThat(byUserCalls).containsExactly("userIds=1,ghost-7,2,3");
        assertThat(perUserCalls).isEmpty();
        List<Object> entities = (List<Object>) response.data().get("_entities");
        assertThat(entities).containsExactly(Map.of("id", "1", "orders", List.of(Map.of("id", "1001", "total", 2014))),
                null, Map.of("id", "2", "orders", List.of()), Map.of("id", "3", "orders", List.of()));
        assertThat(response.errors()).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("path", List.of("_entities", 1));
            assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "ENTITY_NOT_FOUND");
        });
    }

    /** Larger batches than the document's maxItems (100) are split: 250 users, three calls, every user answered. */
    @Test
    @SuppressWarnings("unchecked")
    void batchesLargerThanMaxItemsAreSplit() throws Exception {
        byUserCalls.clear();
        List<String> users = java.util.stream.IntStream.rangeClosed(1, 250).mapToObj(Integer::toString).toList();
        var response = entities(supergraphSdl, users);

        assertThat(response.errors()).isEmpty();
        assertThat(byUserCalls).hasSize(3);
        assertThat(byUserCalls.stream().mapToInt(q -> q.split(",").length).sorted().toArray()).containsExactly(50, 100, 100);
        List<Object> entities = (List<Object>) response.data().get("_entities");
        assertThat(entities).hasSize(250);
        for (int i = 0; i < users.size(); i++) {
            assertThat((Map<String, Object>) entities.get(i)).containsEntry("id", users.get(i));
        }
    }

    /**
     * The one-call-per-entity form still works: the same document with {@code x-atrium-field} on {@code GET /orders}
     * (no batch) instead of {@code /orders-by-user} gives User.orders a field connector reading {@code $this}.
     */
    @Test
    @SuppressWarnings("unchecked")
    void withoutABatchEndpointEachUsersOrdersAreOneCall() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        var api = new OpenAPIV3Parser().readLocation(SPEC.toString(), null, options).getOpenAPI();
        var extension = api.getPaths().get("/orders-by-user").getGet().getExtensions().remove("x-atrium-field");
        var perUser = new java.util.LinkedHashMap<>((Map<String, Object>) extension);
        perUser.remove("batch");
        perUser.put("arguments", Map.of("userId", "id"));
        api.getPaths().get("/orders").getGet().addExtension("x-atrium-field", perUser);
        String perUserSdl = OpenApiGenerator.generate(api, OpenApiGenerator.Options.DEFAULTS);
        assertThat(perUserSdl).contains("type User @key(fields: \"id\") {\n  id: ID!\n  orders: [Order]\n    @connect(")
                .contains("queryParams: \"userId: $this.id\"").doesNotContain("$batch");
        CompositionResult result = Composer.compose(List.of(
                new SubgraphSource("accounts", "http://127.0.0.1:1/graphql",
                        Files.readString(Path.of("../config/supergraph/subgraphs/accounts.graphql"))),
                new SubgraphSource("orders", "http://127.0.0.1:4010", perUserSdl)));
        assertThat(result).isInstanceOf(CompositionResult.Composed.class);

        perUserCalls.clear();
        byUserCalls.clear();
        var response = entities(((CompositionResult.Composed) result).supergraphSdl(), List.of("1", "2"));

        assertThat(response.errors()).isEmpty();
        assertThat(perUserCalls).containsExactlyInAnyOrder("userId=1", "userId=2");
        assertThat(byUserCalls).isEmpty();
        assertThat(response.data().get("_entities")).isEqualTo(List.of(
                Map.of("id", "1", "orders", List.of(Map.of("id", "1001", "total", 2014))),
                Map.of("id", "2", "orders", List.of())));
    }

    /** {@code _entities} of these users asking for {@code id orders { id total }}, straight to the orders connector subgraph. */
    private static io.atrium.router.transport.SubgraphResponse entities(String supergraphText, List<String> userIds) {
        var supergraph = io.atrium.router.supergraph.SupergraphReader.read(supergraphText);
        var config = io.atrium.router.config.RouterConfigLoader.parse("""
                format_version: 1
                connectors: {rest: {orders: {sources: {api: {base_url: "http://127.0.0.1:%d"}}}}}
                """.formatted(backend.getAddress().getPort()));
        try (var provider = new io.atrium.router.connector.rest.RestConnectorProvider(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            var transport = provider.connect(supergraph, supergraph.subgraphNamed("orders"), config).orElseThrow();
            return transport.fetch(new io.atrium.router.transport.SubgraphRequest("orders",
                    java.net.URI.create("http://127.0.0.1:4010"),
                    "query($representations:[_Any!]!){_entities(representations:$representations){...on User{id orders{id total}}}}",
                    null, Map.of("representations", userIds.stream()
                            .map(id -> (Object) Map.of("__typename", "User", "id", id)).toList()),
                    java.time.Duration.ofSeconds(5), Map.of())).toCompletableFuture().join();
        }
    }

    @Test
    void ordersAndTheirLinesComeFromTheRestService() throws Exception {
        Map<String, Object> response = graphql("{ order(id: \"1001\") { id total status items { quantity product { upc } } } }");
        assertThat(response).doesNotContainKey("errors");
        assertThat(response.get("data")).isEqualTo(Map.of("order", Map.of("id", "1001", "total", 2014, "status", "PAID",
                "items", List.of(Map.of("quantity", 2, "product", Map.of("upc", "1"))))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnknownOrderIsNullWithTheProblemDocumentsFields() throws Exception {
        Map<String, Object> response = graphql("{ order(id: \"9\") { id } }");
        assertThat((Map<String, Object>) response.get("data")).containsEntry("order", null);
        assertThat((List<Map<String, Object>>) response.get("errors")).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("message", "There is no order with id '9'.");
            assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "NOT_FOUND")
                    .containsEntry("type", "urn:atrium:examples:orders:not-found").containsEntry("status", 404);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void placeOrderValidationErrorsAreGraphQLErrorsCarryingTheProblemDocument() throws Exception {
        Map<String, Object> placed = graphql("mutation { placeOrder(input: {userId: \"1\", items: [{upc: \"1\", quantity: 1}]}) "
                + "{ id status items { product { upc } } } }");
        assertThat(placed.get("data")).isEqualTo(Map.of("placeOrder", Map.of("id", "1009", "status", "PLACED",
                "items", List.of(Map.of("product", Map.of("upc", "1"))))));

        Map<String, Object> refused = graphql("mutation { placeOrder(input: {userId: \"1\", items: [{upc: \"1\", quantity: 500}]}) { id } }");
        assertThat((Map<String, Object>) refused.get("data")).containsEntry("placeOrder", null);
        assertThat((List<Map<String, Object>>) refused.get("errors")).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("message", "1 field(s) of the order are invalid; see errors.");
            assertThat((Map<String, Object>) error.get("extensions"))
                    .containsEntry("code", "BAD_USER_INPUT")
                    .containsEntry("type", "urn:atrium:examples:orders:invalid-order")
                    .containsEntry("title", "Invalid order")
                    .containsEntry("status", 422)
                    .containsEntry("errors", List.of(Map.of("field", "items[0].quantity", "message", "must be 1-100")));
        });
    }
}
