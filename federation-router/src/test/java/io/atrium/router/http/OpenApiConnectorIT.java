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
            JsonReplies.reply(exchange, 200, "userId=1".equals(query) ? List.of(ORDER) : List.of());
        } else {
            JsonReplies.reply(exchange, 404, Map.of("type", "urn:atrium:examples:orders:not-found", "title", "Order not found",
                    "status", 404, "detail", "There is no order with id '" + path.substring(8) + "'.", "instance", path));
        }
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
                .contains("type User @key(fields: \"id\") {\n  id: ID!\n  orders: [Order]")
                .contains("product: Product")
                .contains("type Product @key(fields: \"upc\", resolvable: false)");
    }

    /** What the planner sends the orders subgraph for {@code { me { orders { … } } }} after accounts answered. */
    @Test
    @SuppressWarnings("unchecked")
    void aUsersOrdersHangOffTheUserEntityFromAnotherSubgraph() throws Exception {
        var supergraph = io.atrium.router.supergraph.SupergraphReader.read(supergraphSdl);
        var config = io.atrium.router.config.RouterConfigLoader.parse("""
                format_version: 1
                connectors: {rest: {orders: {sources: {api: {base_url: "http://127.0.0.1:%d"}}}}}
                """.formatted(backend.getAddress().getPort()));
        try (var provider = new io.atrium.router.connector.rest.RestConnectorProvider(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            var transport = provider.connect(supergraph, supergraph.subgraphNamed("orders"), config).orElseThrow();
            var response = transport.fetch(new io.atrium.router.transport.SubgraphRequest("orders",
                    java.net.URI.create("http://127.0.0.1:4010"),
                    "query($representations:[_Any!]!){_entities(representations:$representations){...on User{orders{id total}}}}",
                    null, Map.of("representations", List.of(Map.of("__typename", "User", "id", "1"),
                            Map.of("__typename", "User", "id", "2"))), java.time.Duration.ofSeconds(5), Map.of()))
                    .toCompletableFuture().join();
            assertThat(response.errors()).isEmpty();
            assertThat(response.data().get("_entities")).isEqualTo(List.of(
                    Map.of("orders", List.of(Map.of("id", "1001", "total", 2014))), Map.of("orders", List.of())));
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
