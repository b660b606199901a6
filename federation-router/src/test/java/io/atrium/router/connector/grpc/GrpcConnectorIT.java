package io.atrium.router.connector.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.examples.RunningService;
import io.atrium.examples.payments.PaymentsServer;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.config.RouterConfig;
import io.atrium.router.config.RouterConfigLoader;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.transcode.ProtoSchema;
import io.atrium.router.transport.SubgraphRequest;
import io.atrium.router.transport.SubgraphResponse;
import io.atrium.router.transport.SubgraphTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The payments service as a proto-first gRPC subgraph, end to end below the planner: the SDL generated from the protos
 * jar composed with accounts, the subgraph served by {@link GrpcConnectorProvider} through the connector runtime,
 * subgraph operations (root fields, mutations, {@code _entities} for the lookup entity and for {@code User.payments})
 * answered by calls to the real service.
 */
class GrpcConnectorIT {
    private static final Path CONNECTOR = Path.of("../config/connectors/payments.grpc.yaml").toAbsolutePath().normalize();
    private static RunningService payments;
    private static GrpcConnectorProvider provider;
    private static SubgraphTransport transport;
    private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();
    private static Supergraph supergraph;

    @BeforeAll
    static void start() throws Exception {
        payments = PaymentsServer.start("127.0.0.1", 0);
        provider = new GrpcConnectorProvider(METERS);
        transport = connect(provider, CONNECTOR, "127.0.0.1:" + payments.port());
    }

    /** The payments subgraph generated from {@code connector}, composed with accounts, served by {@code provider}. */
    private static SubgraphTransport connect(GrpcConnectorProvider provider, Path connector, String target) throws Exception {
        supergraph = compose(connector);
        RouterConfig config = config(connector, target, "");
        assertThat(provider.connect(supergraph, supergraph.subgraphNamed("accounts"), config)).isEmpty();
        return provider.connect(supergraph, supergraph.subgraphNamed("payments"), config).orElseThrow();
    }

    /** The payments subgraph generated from {@code connector} (protos jar descriptors) composed with accounts. */
    static Supergraph compose(Path connector) throws Exception {
        ProtoSchema schema;
        try (InputStream in = GrpcConnectorIT.class.getClassLoader().getResourceAsStream("META-INF/atrium/protos/atrium.desc")) {
            schema = ProtoSchema.parse(in.readAllBytes());
        }
        String sdl = GrpcSubgraphGenerator.generate(schema, GrpcConnectorConfig.load(connector)).sdl();
        CompositionResult composed = Composer.compose(List.of(
                new SubgraphSource("accounts", "http://accounts.invalid/graphql",
                        Files.readString(Path.of("../config/supergraph/subgraphs/accounts.graphql"))),
                new SubgraphSource("payments", "http://payments.invalid/graphql", sdl)));
        return ((CompositionResult.Composed) composed).supergraph();
    }

    /** The payments subgraph's connector block against {@code target}, plus one more key of its block. */
    static RouterConfig config(Path connector, String target, String extraKey) {
        return RouterConfigLoader.parse("""
                format_version: 1
                connectors:
                  grpc:
                    payments:
                      connector: %s
                      descriptor_set: classpath:META-INF/atrium/protos/atrium.desc
                      target: %s
                      entity_concurrency: 2
                      %s
                """.formatted(connector, target, extraKey));
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.close();
        }
        if (payments != null) {
            payments.close();
        }
    }

    private static SubgraphResponse fetch(String query, Map<String, Object> variables) {
        return fetch(transport, query, variables);
    }

    private static SubgraphResponse fetch(SubgraphTransport transport, String query, Map<String, Object> variables) {
        return transport.fetch(new SubgraphRequest("payments", URI.create("http://payments.invalid/graphql"), query, null,
                variables, Duration.ofSeconds(5), Map.of())).toCompletableFuture().join();
    }

    private static long calls(SimpleMeterRegistry meters, String connector) {
        return meters.find("atrium.connector.calls").tag("connector", connector).timers().stream()
                .mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    }

    private static List<Map<String, Object>> orders(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> Map.<String, Object>of("__typename", "Order", "id", id)).toList();
    }

    @Test
    void aQueryFieldCallsItsMethodAndKeepsProto3JsonValues() {
        SubgraphResponse response = fetch("{ payment(paymentId: \"pay_1001\") { id userId amount { units currencyCode nanos } "
                + "status createdAt refunded { units } } }", Map.of());
        assertThat(response.errors()).isEmpty();
        assertThat(response.data()).isEqualTo(Map.of("payment", Map.of("id", "pay_1001", "userId", "1",
                "amount", Map.of("units", "20", "currencyCode", "USD", "nanos", 140_000_000),
                "status", "PAYMENT_STATUS_CAPTURED", "createdAt", "2026-01-02T09:16:00Z",
                "refunded", Map.of("units", "0"))));
    }

    @Test
    void aGrpcFetchHasNoCacheControlUnlessTheSubgraphConfiguresOne() {
        String query = "{ payment(paymentId: \"pay_1001\") { id } }";
        assertThat(fetch(query, Map.of()).cacheControl()).isNull();
        RouterConfig configured = config(CONNECTOR, "127.0.0.1:" + payments.port(), "cache_control: \"public, max-age=30\"");
        SubgraphTransport withPolicy = provider.connect(supergraph, supergraph.subgraphNamed("payments"), configured)
                .orElseThrow();
        SubgraphResponse response = withPolicy.fetch(new SubgraphRequest("payments",
                URI.create("http://payments.invalid/graphql"), query, null, Map.of(), Duration.ofSeconds(5), Map.of()))
                .toCompletableFuture().join();
        assertThat(response.errors()).isEmpty();
        assertThat(response.cacheControl()).isEqualTo("public, max-age=30");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                connectors: { grpc: { payments: { connector: p.yaml, cache_control: public } } }
                """)).hasMessageContaining("connectors.grpc.payments.cache_control");
    }

    @Test
    void grpcErrorsBecomeGraphQLErrorsWithCodeStatusAndDetails() {
        SubgraphResponse missing = fetch("{ payment(paymentId: \"pay_nope\") { id } }", Map.of());
        assertThat(missing.errors()).hasSize(1);
        Map<?, ?> extensions = (Map<?, ?>) missing.errors().getFirst().get("extensions");
        assertThat(extensions.get("code")).isEqualTo("NOT_FOUND");
        assertThat(extensions.get("grpcStatus")).isEqualTo(5);
        SubgraphResponse again = fetch("mutation { capturePayment(paymentId: \"pay_1001\") { id } }", Map.of());
        Map<?, ?> failed = (Map<?, ?>) again.errors().getFirst().get("extensions");
        assertThat(failed.get("code")).isEqualTo("FAILED_PRECONDITION");
        Map<?, ?> info = (Map<?, ?>) ((List<?>) failed.get("details")).getFirst();
        assertThat(info.get("@type")).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        assertThat(info.get("reason")).isEqualTo("PAYMENT_STATE");
    }

    @Test
    void mutationsPassTheIdempotencyKeyThrough() {
        String mutation = "mutation($key: String) { authorizePayment(userId: \"7\", orderId: \"o-7\", "
                + "amount: {currencyCode: \"USD\", units: \"5\"}, paymentMethodToken: \"tok_visa\", idempotencyKey: $key) "
                + "{ id status amount { units } } }";
        String key = UUID.randomUUID().toString();
        SubgraphResponse first = fetch(mutation, Map.of("key", key));
        assertThat(first.errors()).isEmpty();
        Map<?, ?> payment = (Map<?, ?>) first.data().get("authorizePayment");
        assertThat(payment.get("status")).isEqualTo("PAYMENT_STATUS_AUTHORIZED");
        SubgraphResponse retry = fetch(mutation, Map.of("key", key));
        assertThat(((Map<?, ?>) retry.data().get("authorizePayment")).get("id")).isEqualTo(payment.get("id"));
    }

    @Test
    void entitiesComeFromTheLookupRpcAndUserPaymentsFromItsMethod() {
        SubgraphResponse response = fetch("query($r: [_Any!]!) { _entities(representations: $r) { "
                + "... on User { payments { id orderId } } ... on Payment { id userId } } }", Map.of("r", List.of(
                Map.of("__typename", "User", "id", "3"),
                Map.of("__typename", "Payment", "id", "pay_1003"),
                Map.of("__typename", "Payment", "id", "pay_missing"))));
        List<?> entities = (List<?>) response.data().get("_entities");
        assertThat(entities.get(0)).isEqualTo(Map.of("payments", List.of(Map.of("id", "pay_1002", "orderId", "1004"))));
        assertThat(entities.get(1)).isEqualTo(Map.of("id", "pay_1003", "userId", "6"));
        assertThat(entities.get(2)).isNull();
        assertThat(response.errors()).isNotEmpty();
    }

    @Test
    void orderPaymentIsOneBatchCallForAllOrdersMatchedByOrderIdAndNullWithoutAnErrorWhereThereIsNone() {
        long before = calls(METERS, "payments:Order.payment@grpc");
        SubgraphResponse response = fetch("query($r: [_Any!]!) { _entities(representations: $r) { "
                + "... on Order { id payment { id orderId status amount { currencyCode units } } } } }",
                Map.of("r", orders("1007", "1003", "1001", "1007")));
        assertThat(response.errors()).isEmpty();
        List<?> entities = (List<?>) response.data().get("_entities");
        Map<String, Object> pay1003 = Map.of("id", "pay_1003", "orderId", "1007", "status", "PAYMENT_STATUS_AUTHORIZED",
                "amount", Map.of("currencyCode", "USD", "units", "8"));
        assertThat(entities.get(0)).isEqualTo(Map.of("id", "1007", "payment", pay1003));
        Map<String, Object> withoutPayment = new java.util.HashMap<>();
        withoutPayment.put("id", "1003");
        withoutPayment.put("payment", null);
        assertThat(entities.get(1)).isEqualTo(withoutPayment);
        assertThat(entities.get(2)).isEqualTo(Map.of("id", "1001", "payment", Map.of("id", "pay_1001", "orderId", "1001",
                "status", "PAYMENT_STATUS_CAPTURED", "amount", Map.of("currencyCode", "USD", "units", "20"))));
        assertThat(entities.get(3)).isEqualTo(entities.get(0));
        assertThat(calls(METERS, "payments:Order.payment@grpc") - before).as("one BatchGetPaymentsByOrder call").isEqualTo(1);
    }

    @Test
    void userPaymentsAreOneBatchCallForAllUsersEachGettingAllItsPaymentsOrAnEmptyList() {
        long before = calls(METERS, "payments:User.payments@grpc");
        SubgraphResponse response = fetch("query($r: [_Any!]!) { _entities(representations: $r) { "
                + "... on User { id payments { id userId } } } }", Map.of("r", List.of(
                Map.of("__typename", "User", "id", "3"), Map.of("__typename", "User", "id", "no-such-user"),
                Map.of("__typename", "User", "id", "1"), Map.of("__typename", "User", "id", "3"))));
        assertThat(response.errors()).isEmpty();
        List<?> entities = (List<?>) response.data().get("_entities");
        assertThat(entities.get(0)).isEqualTo(Map.of("id", "3", "payments", List.of(Map.of("id", "pay_1002", "userId", "3"))));
        assertThat(entities.get(1)).isEqualTo(Map.of("id", "no-such-user", "payments", List.of()));
        assertThat((List<?>) ((Map<?, ?>) entities.get(2)).get("payments")).isNotEmpty()
                .allSatisfy(p -> assertThat(((Map<?, ?>) p).get("userId")).isEqualTo("1"));
        assertThat(entities.get(3)).isEqualTo(entities.get(0));
        assertThat(calls(METERS, "payments:User.payments@grpc") - before).as("one BatchListPaymentsByUser call")
                .isEqualTo(1);
    }

    @Test
    void largerBatchesAreSplitIntoCallsOfAtMostMaxBatchKeys() throws Exception {
        Path small = Files.createTempFile("payments-max-batch-2", ".grpc.yaml");
        Files.writeString(small, Files.readString(CONNECTOR).replace("max_batch: 100", "max_batch: 2"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (GrpcConnectorProvider chunked = new GrpcConnectorProvider(meters)) {
            SubgraphTransport chunkedTransport = connect(chunked, small, "127.0.0.1:" + payments.port());
            SubgraphResponse response = fetch(chunkedTransport, "query($r: [_Any!]!) { _entities(representations: $r) { "
                    + "... on Order { payment { id } } } }", Map.of("r", orders("1001", "1002", "1004", "1007", "1008")));
            assertThat(response.errors()).isEmpty();
            List<Object> ids = ((List<?>) response.data().get("_entities")).stream()
                    .map(e -> ((Map<?, ?>) e).get("payment") instanceof Map<?, ?> p ? (Object) p.get("id") : null).toList();
            assertThat(ids).containsExactly("pay_1001", null, "pay_1002", "pay_1003", null);
            assertThat(calls(meters, "payments:Order.payment@grpc")).as("5 orders in chunks of 2").isEqualTo(3);
        } finally {
            Files.deleteIfExists(small);
        }
    }

    @Test
    void aFailedBatchCallNullsItsOrdersWithTheGrpcStatusAsTheErrorCode() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (GrpcConnectorProvider down = new GrpcConnectorProvider(new SimpleMeterRegistry())) {
            SubgraphResponse response = fetch(connect(down, CONNECTOR, "127.0.0.1:" + closed), "query($r: [_Any!]!) { "
                    + "_entities(representations: $r) { ... on Order { payment { id } } } }", Map.of("r", orders("1001", "1003")));
            assertThat((List<?>) response.data().get("_entities")).containsOnlyNulls().hasSize(2);
            assertThat(response.errors()).hasSize(2).allSatisfy(error -> assertThat(
                    ((Map<?, ?>) error.get("extensions")).get("code")).isEqualTo("UNAVAILABLE"));
        }
    }
}
