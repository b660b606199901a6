package io.atrium.examples.graphql;

import static io.atrium.examples.TestHttp.graphql;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.atrium.examples.ExampleService;
import io.atrium.examples.ExampleServices;
import io.atrium.examples.RunningService;
import io.atrium.examples.TestHttp;
import io.atrium.proto.payments.v1.ListPaymentsByUserRequest;
import io.atrium.proto.payments.v1.Payment;
import io.atrium.proto.payments.v1.PaymentsGrpc;
import graphql.language.AstPrinter;
import graphql.language.AstTransformer;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Node;
import graphql.language.NodeVisitorStub;
import graphql.language.TypeDefinition;
import graphql.parser.Parser;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import graphql.util.TreeTransformerUtil;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GraphQL twins of orders and payments answer the very records the REST and gRPC services answer (what makes the
 * connectors benchmark compare like with like): orders as the REST JSON (plus the {@code product} reference the
 * OpenAPI-generated selection adds), payments as proto3 JSON of the gRPC answer, and the twins' SDLs keep the
 * connector subgraphs' entity keys.
 */
class TwinSubgraphsIT {

    private static final Map<ExampleService, RunningService> RUNNING = new EnumMap<>(ExampleService.class);
    private static final String ORDER_FIELDS = "id userId items { upc product { upc } quantity unitPrice } total status createdAt";
    private static final String MONEY = "{ currencyCode units nanos }";
    private static final String PAYMENT_FIELDS = "id userId orderId amount " + MONEY + " captured " + MONEY
            + " refunded " + MONEY + " status createdAt updatedAt";
    private static final List<String> USERS = List.of("1", "2", "3", "4", "5", "6");
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        for (ExampleService service : List.of(ExampleService.ORDERS, ExampleService.ORDERS_GRAPHQL,
                ExampleService.PAYMENTS, ExampleService.PAYMENTS_GRAPHQL)) {
            RUNNING.put(service, ExampleServices.start(service, 0));
        }
        channel = NettyChannelBuilder.forAddress("127.0.0.1", RUNNING.get(ExampleService.PAYMENTS).port())
                .usePlaintext().build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        RUNNING.values().forEach(RunningService::close);
    }

    @Test
    void ordersOfEveryUserAreTheRestServicesOrders() {
        Map<String, Object> response = graphql(RUNNING.get(ExampleService.ORDERS_GRAPHQL).baseUri(),
                "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id orders { " + ORDER_FIELDS + " } } } }",
                Map.of("r", USERS.stream().map(id -> Map.of("__typename", "User", "id", id)).toList()));

        assertThat(response).doesNotContainKey("errors");
        List<?> users = (List<?>) ((Map<?, ?>) response.get("data")).get("_entities");
        int orders = 0;
        for (int i = 0; i < USERS.size(); i++) {
            List<Object> rest = TestHttp.read(TestHttp.get(RUNNING.get(ExampleService.ORDERS).baseUri()
                    .resolve("/orders?userId=" + USERS.get(i))).body(), io.micronaut.core.type.Argument.listOf(Object.class));
            assertThat(((Map<?, ?>) users.get(i)).get("orders")).as("orders of user %s", USERS.get(i))
                    .isEqualTo(withProductReferences(rest));
            orders += rest.size();
        }
        assertThat(orders).isEqualTo(8);
    }

    @Test
    void orderEntitiesAndQueryFieldsAgreeWithTheRestService() {
        Map<String, Object> response = graphql(RUNNING.get(ExampleService.ORDERS_GRAPHQL).baseUri(),
                "{ order(id: \"1004\") { " + ORDER_FIELDS + " } missing: order(id: \"9\") { id } }", Map.of());

        Object rest = TestHttp.readMap(TestHttp.get(RUNNING.get(ExampleService.ORDERS).baseUri()
                .resolve("/orders/1004")).body());
        assertThat(((Map<?, ?>) response.get("data")).get("order")).isEqualTo(withProductReferences(List.of(rest)).getFirst());
        assertThat(((Map<?, ?>) response.get("data")).get("missing")).isNull();
    }

    @Test
    void paymentsAreTheGrpcServicesPaymentsInProto3Json() throws Exception {
        PaymentsGrpc.PaymentsBlockingStub stub = PaymentsGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        Map<String, Object> response = graphql(RUNNING.get(ExampleService.PAYMENTS_GRAPHQL).baseUri(),
                "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { payments { " + PAYMENT_FIELDS
                        + " } } ... on Order { id payment { id status } } } }",
                Map.of("r", List.of(Map.of("__typename", "User", "id", "1"), Map.of("__typename", "User", "id", "3"),
                        Map.of("__typename", "Order", "id", "1007"), Map.of("__typename", "Order", "id", "1002"))));

        assertThat(response).doesNotContainKey("errors");
        List<?> entities = (List<?>) ((Map<?, ?>) response.get("data")).get("_entities");
        for (int i = 0; i < 2; i++) {
            String userId = i == 0 ? "1" : "3";
            List<Payment> grpc = stub.listPaymentsByUser(ListPaymentsByUserRequest.newBuilder().setUserId(userId).build())
                    .getPaymentsList();
            List<Object> expected = new ArrayList<>();
            for (Payment payment : grpc) {
                expected.add(TestHttp.readMap(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(payment)));
            }
            assertThat(grpc).isNotEmpty();
            assertThat(((Map<?, ?>) entities.get(i)).get("payments")).as("payments of user %s", userId).isEqualTo(expected);
        }
        assertThat(entities.get(2)).isEqualTo(Map.of("id", "1007", "payment", Map.of("id", "pay_1003",
                "status", "PAYMENT_STATUS_AUTHORIZED")));
        assertThat(((Map<?, ?>) entities.get(3)).get("payment")).isNull();
    }

    @Test
    void twinsKeepTheConnectorSubgraphsEntityKeys() {
        String orders = (String) ((Map<?, ?>) ((Map<?, ?>) graphql(RUNNING.get(ExampleService.ORDERS_GRAPHQL).baseUri(),
                "{ _service { sdl } }", Map.of()).get("data")).get("_service")).get("sdl");
        String payments = (String) ((Map<?, ?>) ((Map<?, ?>) graphql(RUNNING.get(ExampleService.PAYMENTS_GRAPHQL).baseUri(),
                "{ _service { sdl } }", Map.of()).get("data")).get("_service")).get("sdl");

        assertThat(orders).containsPattern("type Order @key\\(fields ?: ?\"id\"")
                .containsPattern("type User @key\\(fields ?: ?\"id\"")
                .containsPattern("type Product @key\\(fields ?: ?\"upc\", ?resolvable ?: ?false");
        assertThat(payments).containsPattern("type Payment @key\\(fields ?: ?\"id\"")
                .containsPattern("type Order @key\\(fields ?: ?\"id\"")
                .containsPattern("type User @key\\(fields ?: ?\"id\"");
    }

    @Test
    void paymentsTwinDeclaresTheConnectorSubgraphsTypesAndFields() throws Exception {
        // The twin's SDL repeats the gRPC connector subgraph's types on purpose (it must serve the same schema): this
        // keeps the two files from drifting apart. Directives aside (@grpc..., @key args printed alike), each type
        // and field of the twin is the connector's.
        Document connector = Parser.parse(Files.readString(Path.of("..", "config", "connectors", "payments.graphql")));
        Document twin = Parser.parse(Subgraphs.sdl(ExampleService.PAYMENTS_GRAPHQL));
        Map<String, String> connectorTypes = typesWithoutDirectives(connector);
        Map<String, String> twinTypes = typesWithoutDirectives(twin);

        assertThat(twinTypes.keySet()).contains("Payment", "Money", "PaymentStatus", "User", "Order", "Long", "DateTime");
        for (String type : List.of("Payment", "Money", "PaymentStatus", "User", "Order", "Long", "DateTime")) {
            assertThat(twinTypes.get(type)).as("type %s", type).isEqualTo(connectorTypes.get(type));
        }
    }

    /** Type name → the type printed without directives (the SDL's shape, not its connector wiring). */
    private static Map<String, String> typesWithoutDirectives(Document document) {
        Map<String, String> types = new LinkedHashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            Node<?> stripped = new AstTransformer().transform(definition, new NodeVisitorStub() {
                @Override
                public TraversalControl visitDirective(Directive node, TraverserContext<Node> context) {
                    return TreeTransformerUtil.deleteNode(context);
                }
            });
            if (stripped instanceof TypeDefinition<?> type) {
                types.put(type.getName(), AstPrinter.printAstCompact(type));
            }
        }
        return types;
    }

    /** The REST orders as the OpenAPI-generated selection maps them: each line gains {@code product: {upc}}. */
    private static List<Object> withProductReferences(List<Object> orders) {
        List<Object> mapped = new ArrayList<>();
        for (Object order : orders) {
            Map<String, Object> copy = new LinkedHashMap<>(castMap(order));
            List<Object> items = new ArrayList<>();
            for (Object item : (List<?>) copy.get("items")) {
                Map<String, Object> line = new LinkedHashMap<>(castMap(item));
                line.put("product", Map.of("upc", line.get("upc")));
                items.add(line);
            }
            copy.put("items", items);
            mapped.add(copy);
        }
        return mapped;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }
}
