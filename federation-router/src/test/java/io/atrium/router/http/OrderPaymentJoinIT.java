package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atrium.examples.RunningService;
import io.atrium.examples.orders.Order;
import io.atrium.examples.orders.OrderStore;
import io.atrium.examples.payments.PaymentsServer;
import io.atrium.examples.seed.Shop;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.connector.JsonReplies;
import io.atrium.router.connector.grpc.GrpcConnectorConfig;
import io.atrium.router.connector.grpc.GrpcSubgraphGenerator;
import io.atrium.router.connector.rest.openapi.OpenApiGenerator;
import io.atrium.router.json.Json;
import io.atrium.router.transcode.ProtoSchema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One GraphQL query through the router joining orders (REST, through the OpenAPI-generated {@code @connect} subgraph of
 * the orders service's document) and each order's payment (the real example gRPC payments service through its
 * proto-first subgraph), on loopback. The example services' Micronaut HTTP stack is not on this module's test class
 * path, so the orders REST API is served here by a JDK {@code HttpServer} over the example service's own
 * {@link OrderStore} (the same seeded orders and JSON shape). The user's side ({@code user(id:) { orders }}, accounts →
 * orders) is {@code OpenApiConnectorIT}'s; the example accounts subgraph needs graphql-java 25, so the query starts at
 * the orders connector's {@code orders(userId:)}, the same orders fetch.
 */
class OrderPaymentJoinIT {
    private static final Path CONNECTOR = Path.of("../config/connectors/payments.grpc.yaml").toAbsolutePath().normalize();
    private static final Path ORDERS_API = Path.of("../examples/src/main/resources/io/atrium/examples/orders/openapi.yaml");
    private static final OrderStore STORE = new OrderStore(Shop.seed(), Clock.systemUTC());
    private static RunningService payments;
    private static HttpServer orders;
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        payments = PaymentsServer.start("127.0.0.1", 0);
        orders = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        orders.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        orders.createContext("/orders", OrderPaymentJoinIT::orders);
        orders.start();
        String ordersUrl = "http://127.0.0.1:" + orders.getAddress().getPort();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        String ordersSdl = OpenApiGenerator.generate(new OpenAPIV3Parser().readLocation(ORDERS_API.toString(), null, options)
                .getOpenAPI(), OpenApiGenerator.Options.DEFAULTS);
        String paymentsSdl = GrpcSubgraphGenerator.generate(
                ProtoSchema.load("classpath:META-INF/atrium/protos/atrium.desc"), GrpcConnectorConfig.load(CONNECTOR)).sdl();
        CompositionResult composed = Composer.compose(List.of(
                new SubgraphSource("orders", ordersUrl, ordersSdl),
                new SubgraphSource("payments", "http://127.0.0.1:" + payments.port() + "/grpc-connector", paymentsSdl)));
        assertThat(composed).as(composed.toString()).isInstanceOf(CompositionResult.Composed.class);
        router = RouterUnderTest.start(RouterUnderTest.newDirectory(), ((CompositionResult.Composed) composed).supergraphSdl(),
                """
                format_version: 1
                connectors:
                  rest:
                    orders:
                      sources: {api: {base_url: "%s"}}
                  grpc:
                    payments:
                      connector: %s
                      descriptor_set: classpath:META-INF/atrium/protos/atrium.desc
                      target: 127.0.0.1:%d
                """.formatted(ordersUrl, CONNECTOR, payments.port()));
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (orders != null) {
            orders.stop(0);
        }
        if (payments != null) {
            payments.close();
        }
    }

    /** {@code GET /orders[?userId=]} and {@code GET /orders/{id}} as the example orders service answers them. */
    private static void orders(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        if (path.equals("/orders")) {
            String userId = query != null && query.startsWith("userId=") ? query.substring("userId=".length()) : null;
            JsonReplies.reply(exchange, 200, STORE.list(userId).stream().map(OrderPaymentJoinIT::json).toList());
            return;
        }
        var order = STORE.find(path.substring("/orders/".length()));
        if (order.isPresent()) {
            JsonReplies.reply(exchange, 200, json(order.get()));
        } else {
            JsonReplies.reply(exchange, 404, Map.of("type", "urn:atrium:examples:orders:not-found",
                    "title", "Order not found", "status", 404, "instance", path));
        }
    }

    private static Map<String, Object> json(Order order) {
        return Map.of("id", order.id(), "userId", order.userId(), "total", order.total(), "status", order.status(),
                "createdAt", order.createdAt(), "items", order.items().stream().map(line -> Map.of("upc", line.upc(),
                        "quantity", line.quantity(), "unitPrice", line.unitPrice())).toList());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> graphql(String query) throws Exception {
        var response = router.post(RouterUnderTest.queryBody(query));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (Map<String, Object>) Json.read(response.body());
    }

    @Test
    void ordersFromRestCarryTheirPaymentsFromGrpcInOneAnswer() throws Exception {
        Map<String, Object> answer = graphql("{ orders(userId:\"1\") { id payment { id status amount { currencyCode units } } } }");
        assertThat(answer).as("an order without a payment is null, not an error").doesNotContainKey("errors");
        Map<String, Object> withoutPayment = new HashMap<>();
        withoutPayment.put("id", "1003");
        withoutPayment.put("payment", null);
        assertThat(answer.get("data")).isEqualTo(Map.of("orders", List.of(
                Map.of("id", "1001", "payment", Map.of("id", "pay_1001", "status", "PAYMENT_STATUS_CAPTURED",
                        "amount", Map.of("currencyCode", "USD", "units", "20"))),
                withoutPayment)));
    }

    @Test
    void theOrdersOfOneFetchAreOnePaymentsCall() throws Exception {
        double before = paymentCalls();
        Map<String, Object> answer = graphql("{ orders { id payment { id } } }");
        assertThat(answer).doesNotContainKey("errors");
        assertThat((List<?>) ((Map<?, ?>) answer.get("data")).get("orders")).hasSize(8);
        assertThat(paymentCalls() - before).as("BatchGetPaymentsByOrder calls for 8 orders").isEqualTo(1.0);
    }

    /** {@code atrium.connector.calls} of {@code Order.payment}, summed over outcomes, from the admin scrape. */
    private static double paymentCalls() throws Exception {
        double total = 0;
        for (String line : router.scrapeMetrics().lines().toList()) {
            if (line.startsWith("atrium_connector_calls_seconds_count{")
                    && line.contains("connector=\"payments:Order.payment@grpc\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
