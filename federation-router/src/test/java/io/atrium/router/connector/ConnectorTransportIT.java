package io.atrium.router.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atrium.router.json.Json;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphReader;
import io.atrium.router.transport.SubgraphRequest;
import io.atrium.router.transport.SubgraphResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The protocol-neutral connector runtime against a real HTTP backend on loopback: resolvers written directly against
 * the runtime's interfaces (as the REST and gRPC connectors do), calls through {@link BackendCalls}.
 */
class ConnectorTransportIT {

    private static HttpServer backend;
    private static URI base;
    private static final AtomicInteger batchCalls = new AtomicInteger();
    private static final AtomicInteger singleCalls = new AtomicInteger();
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger maxInFlight = new AtomicInteger();
    private static final AtomicInteger flakyCalls = new AtomicInteger();
    private static final AtomicInteger placeCalls = new AtomicInteger();
    private static volatile CountDownLatch gate = new CountDownLatch(0);
    private static volatile int gateAt = Integer.MAX_VALUE;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Supergraph supergraph;

    @BeforeAll
    static void start() throws IOException {
        try (InputStream in = ConnectorTransportIT.class.getResourceAsStream("/connector/runtime-supergraph.graphql")) {
            supergraph = SupergraphReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.createContext("/orders/batch", exchange -> {
            batchCalls.incrementAndGet();
            Map<?, ?> body = (Map<?, ?>) Json.read(exchange.getRequestBody().readAllBytes());
            List<Object> found = new ArrayList<>();
            for (Object id : (List<?>) body.get("ids")) {
                if (!"404".equals(id)) {
                    found.addFirst(Map.of("id", id, "total", Integer.parseInt((String) id) * 10)); // reversed order
                }
            }
            JsonReplies.reply(exchange, 200, found);
        });
        backend.createContext("/orders/", exchange -> {
            singleCalls.incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            if (now >= gateAt) {
                gate.countDown();
            }
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            String id = exchange.getRequestURI().getPath().substring("/orders/".length());
            if (id.equals("404")) {
                JsonReplies.reply(exchange, 404, Map.of("detail", "no such order"));
            } else {
                JsonReplies.reply(exchange, 200, Map.of("id", id, "total", Integer.parseInt(id) * 10,
                        "lines", List.of(Map.of("sku", "s-" + id, "qty", 1))));
            }
        });
        backend.createContext("/flaky", exchange -> {
            int call = flakyCalls.incrementAndGet();
            JsonReplies.reply(exchange, call % 2 == 1 ? 503 : 200, List.of(Map.of("id", "1", "total", 10, "lines", List.of())));
        });
        backend.createContext("/place", exchange -> {
            placeCalls.incrementAndGet();
            JsonReplies.reply(exchange, 503, Map.of());
        });
        backend.start();
        base = URI.create("http://127.0.0.1:" + backend.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        backend.stop(0);
    }


    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BackendCalls calls = new BackendCalls(meters, BackendCalls.DEFAULT_RESILIENCE);

    /** One HTTP call through the runtime's resilience; non-2xx answers become CONNECTOR_FETCH errors. */
    private CompletableFuture<Object> http(String coordinate, String method, String path, Object body, CallContext context) {
        CallSite site = new CallSite("orders", "api", coordinate);
        boolean safe = method.equals("GET");
        return calls.<Object>call(site, safe, context, timeout -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
            return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(response -> Attempted.of(response.statusCode(),
                            response.statusCode() < 300 ? Json.read(response.body()) : null));
        }).thenApply(attempted -> {
            if (attempted.outcome().status() >= 300) {
                throw BackendCalls.failure(site, ConnectorErrorCodes.CONNECTOR_FETCH, "Request failed",
                        Map.of("http", Map.of("status", attempted.outcome().status())));
            }
            return attempted.value();
        }).toCompletableFuture();
    }

    private ConnectorTransport transport(EntityBatching orderBatching) {
        Map<String, FieldResolver> fields = Map.of(
                "Query.order", call -> http("orders:Query.order@connect[0]", "GET",
                        "/orders/" + call.arguments().get("id"), null, call.context()),
                "Query.orders", call -> http("orders:Query.orders@connect[0]", "GET", "/flaky", null, call.context()),
                "Query.search", call -> CompletableFuture.completedFuture(List.of(
                        Map.of("__typename", "Line", "sku", "a", "qty", 2),
                        Map.of("__typename", "Order", "id", "7", "total", 70, "lines", List.of()))),
                "Mutation.placeOrder", call -> http("orders:Mutation.placeOrder@connect[0]", "POST", "/place",
                        Map.of("sku", call.arguments().get("sku")), call.context()),
                "User.orders", call -> CompletableFuture.completedFuture(List.of(
                        Map.of("id", call.parent().get("id") + "-1", "total", 1, "lines", List.of()))));
        EntityResolver orders = new EntityResolver() {
            @Override
            public EntityBatching batching() {
                return orderBatching;
            }

            @Override
            public java.util.concurrent.CompletionStage<List<Object>> resolve(EntityCall call) {
                if (orderBatching.match() == EntityBatching.Match.SINGLE) {
                    return http("orders:Order@connect[0]", "GET", "/orders/" + call.representations().getFirst().get("id"),
                            null, call.context()).thenApply(List::of);
                }
                List<Object> ids = call.representations().stream().map(r -> r.get("id")).toList();
                return http("orders:Order@connect[0]", "POST", "/orders/batch", Map.of("ids", ids), call.context())
                        .thenApply(found -> (List<Object>) found);
            }
        };
        var subgraph = supergraph.subgraphNamed("orders");
        return new ConnectorTransport(new ConnectorSubgraph(supergraph, subgraph, fields, Map.of("Order", orders)));
    }

    private static SubgraphResponse fetch(ConnectorTransport transport, String query, Map<String, Object> variables) {
        return transport.fetch(new SubgraphRequest("orders", URI.create("http://orders.invalid"), query, null, variables,
                Duration.ofSeconds(5), Map.of())).toCompletableFuture().join();
    }

    private static List<Map<String, Object>> reps(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> Map.<String, Object>of("__typename", "Order", "id", id)).toList();
    }

    private static final String ENTITIES =
            "query($representations:[_Any!]!){_entities(representations:$representations){...on Order{id total}}}";

    @Test
    void rootFieldsWithAliasesFragmentsAndTypename() {
        SubgraphResponse response = fetch(transport(EntityBatching.single(4)),
                "query Q($id: ID!) { o: order(id: $id) { __typename id total ...L } }"
                        + " fragment L on Order { lines { sku qty } }", Map.of("id", "4"));
        assertThat(response.errors()).isEmpty();
        assertThat(response.data()).isEqualTo(Map.of("o", Map.of("__typename", "Order", "id", "4", "total", 40,
                "lines", List.of(Map.of("sku", "s-4", "qty", 1)))));
    }

    @Test
    void oneOperationRunTwiceFollowsEachRunsSkipAndInclude() {
        // the fields a selection collects are remembered per document only when no variable can change them
        ConnectorTransport transport = transport(EntityBatching.single(4));
        String query = "query Q($id: ID!, $lines: Boolean!) { order(id: $id) { id total @skip(if: $lines)"
                + " lines @include(if: $lines) { sku } } }";
        assertThat(fetch(transport, query, Map.of("id", "4", "lines", true)).data()).isEqualTo(Map.of("order",
                Map.of("id", "4", "lines", List.of(Map.of("sku", "s-4")))));
        assertThat(fetch(transport, query, Map.of("id", "4", "lines", false)).data()).isEqualTo(Map.of("order",
                Map.of("id", "4", "total", 40)));
        String fixed = "query Q($id: ID!) { order(id: $id) { id total } }";
        assertThat(fetch(transport, fixed, Map.of("id", "4")).data()).isEqualTo(Map.of("order", Map.of("id", "4", "total", 40)));
        assertThat(fetch(transport, fixed, Map.of("id", "5")).data()).isEqualTo(Map.of("order", Map.of("id", "5", "total", 50)));
    }

    @Test
    void unionMembersAreCompletedByTheirTypename() {
        SubgraphResponse response = fetch(transport(EntityBatching.single(4)),
                "{ search { __typename ... on Line { sku } ... on Order { id } } }", Map.of());
        assertThat(response.data().get("search")).isEqualTo(List.of(
                Map.of("__typename", "Line", "sku", "a"), Map.of("__typename", "Order", "id", "7")));
    }

    @Test
    void aBackendFailureIsANullFieldWithAnErrorNamingTheConnector() {
        SubgraphResponse response = fetch(transport(EntityBatching.single(4)), "{ order(id: \"404\") { id } }", Map.of());
        assertThat(response.data()).containsEntry("order", null);
        assertThat(response.errors()).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("path", List.of("order"));
            assertThat((Map<String, Object>) error.get("extensions"))
                    .containsEntry("code", "CONNECTOR_FETCH")
                    .containsEntry("connector", Map.of("coordinate", "orders:Query.order@connect[0]"))
                    .containsEntry("http", Map.of("status", 404));
        });
    }

    @Test
    void entitiesBatchedByKeyAreOneCallMatchedInAnyOrderWithMissingOnesNull() {
        int before = batchCalls.get();
        SubgraphResponse response = fetch(transport(EntityBatching.byKey(List.of(List.of("id")), 10, 2)), ENTITIES,
                Map.of("representations", reps("1", "2", "404", "3")));
        assertThat(batchCalls.get() - before).isEqualTo(1);
        assertThat(response.data().get("_entities")).isEqualTo(java.util.Arrays.asList(
                Map.of("id", "1", "total", 10), Map.of("id", "2", "total", 20), null, Map.of("id", "3", "total", 30)));
        assertThat(response.errors()).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("path", List.of("_entities", 2));
            assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "ENTITY_NOT_FOUND");
        });
    }

    @Test
    void batchesLargerThanMaxSizeAreSplit() {
        int before = batchCalls.get();
        SubgraphResponse response = fetch(transport(EntityBatching.byKey(List.of(List.of("id")), 2, 2)), ENTITIES,
                Map.of("representations", reps("1", "2", "3", "4", "5")));
        assertThat(batchCalls.get() - before).isEqualTo(3);
        assertThat((List<?>) response.data().get("_entities")).hasSize(5).doesNotContainNull();
    }

    @Test
    void entitiesWithoutABatchEndpointGoInParallelUpToTheCap() {
        int before = singleCalls.get();
        maxInFlight.set(0);
        gate = new CountDownLatch(1);
        gateAt = 3; // the backend holds every call until three are in flight at once
        try {
            SubgraphResponse response = fetch(transport(EntityBatching.single(3)), ENTITIES,
                    Map.of("representations", reps("1", "2", "3", "4", "5", "6", "7")));
            assertThat(singleCalls.get() - before).isEqualTo(7);
            assertThat(maxInFlight.get()).isEqualTo(3);
            assertThat((List<?>) response.data().get("_entities")).hasSize(7).doesNotContainNull();
        } finally {
            gateAt = Integer.MAX_VALUE;
            gate = new CountDownLatch(0);
        }
    }

    @Test
    void entityTypesWithoutAResolverAreAnsweredFromTheRepresentationAndFieldResolvers() {
        SubgraphResponse response = fetch(transport(EntityBatching.single(2)),
                "query($representations:[_Any!]!){_entities(representations:$representations){...on User{orders{id}}}}",
                Map.of("representations", List.of(Map.of("__typename", "User", "id", "u1"))));
        assertThat(response.data().get("_entities")).isEqualTo(List.of(Map.of("orders", List.of(Map.of("id", "u1-1")))));
    }

    @Test
    void safeCallsAreRetriedUnsafeOnesNever() {
        flakyCalls.set(0);
        SubgraphResponse query = fetch(transport(EntityBatching.single(2)), "{ orders { id } }", Map.of());
        assertThat(flakyCalls.get()).isEqualTo(2);
        assertThat(query.errors()).isEmpty();
        assertThat(query.data().get("orders")).isEqualTo(List.of(Map.of("id", "1")));

        int before = placeCalls.get();
        SubgraphResponse mutation = fetch(transport(EntityBatching.single(2)),
                "mutation { placeOrder(sku: \"x\") { id } }", Map.of());
        assertThat(placeCalls.get() - before).isEqualTo(1);
        assertThat(mutation.data()).containsEntry("placeOrder", null);
        assertThat(mutation.errors()).hasSize(1);
    }

    @Test
    void everyCallIsTimedPerConnectorCoordinateAndOutcome() {
        fetch(transport(EntityBatching.single(2)), "{ order(id: \"5\") { id } }", Map.of());
        fetch(transport(EntityBatching.single(2)), "{ order(id: \"404\") { id } }", Map.of());
        assertThat(meters.get("atrium.connector.calls").tag("connector", "orders:Query.order@connect[0]")
                .tag("outcome", "2xx").timer().count()).isEqualTo(1);
        assertThat(meters.get("atrium.connector.calls").tag("connector", "orders:Query.order@connect[0]")
                .tag("outcome", "4xx").timer().count()).isEqualTo(1);
    }
}
