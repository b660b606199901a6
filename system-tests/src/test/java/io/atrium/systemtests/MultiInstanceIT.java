package io.atrium.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.atrium.systemtests.RouterClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances of everything on one Redis (issue #15 item 5), against real processes: two edges and two routers
 * from their runnable jars, one real redis-server, and a {@link CountingSubgraph} of this test that counts every
 * mutation it executes and which router sent it (router A and router B each call it on a listener of their own).
 *
 * <pre>
 * client -> edge 1 --+--> router A --+--> subgraph "shop" (listener a)      registry, cost budgets, edge rate
 *        -> edge 2 --+--> router B --+--> subgraph "shop" (listener b)      limits: one redis-server
 *                    +--> /limited: the subgraph's plain path (a rate-limited upstream)
 * </pre>
 *
 * Proved: a global rate limit holds across both edges; a publish through router A's admin API goes live on router B,
 * and a cost budget spent on A is spent on B; killing router A in the middle of a load of GraphQL GETs loses none of
 * them (the edge retries them on B and takes A out), and a mutation in flight in A when it dies is executed once and
 * answered with a clear error, never sent again to B. Runs in order: the last case kills router A.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiInstanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = "multi-instance-edge-admin";
    /** Requests the global limit admits over 10 minutes, wherever they arrive (edge.yaml below). */
    private static final int GLOBAL_LIMIT = 10;
    /** The cost budget per client (router.yaml below); `{ report }` costs 400000 of it (@cost in the SDL). */
    private static final long BUDGET = 1_000_000;
    /** The budget refills over a day (11.6 units a second): what may come back while a case runs. */
    private static final long REFILL_SLACK = 1_000;
    private static final String WIDGETS = "{ widgets { id name } }";
    private static final String PLACE_ORDER = "mutation Place($id: ID!) { placeOrder(id: $id) { id } }";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<JavaProcess> processes = new ArrayList<>();
    private Redis redis;
    private CountingSubgraph shop;
    private JavaProcess routerA;
    private RouterClient clientA;
    private RouterClient clientB;
    private final int[] edgePorts = new int[2];
    private final int[] edgeAdminPorts = new int[2];
    private final Map<JavaProcess, Integer> adminPorts = new HashMap<>();
    private int routerAPort;
    private int routerBPort;

    @BeforeAll
    void startInstances() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "system-tests", "multi-instance-" + System.currentTimeMillis()))
                .toAbsolutePath();
        redis = new Redis();
        shop = new CountingSubgraph("a", "b");
        routerAPort = JavaProcess.freePort();
        routerBPort = JavaProcess.freePort();
        routerA = startRouter(work, "a", 0, routerAPort);
        clientA = new RouterClient(http, routerA, routerAPort, adminPortOf(routerA));
        JavaProcess routerB = startRouter(work, "b", 1, routerBPort);
        clientB = new RouterClient(http, routerB, routerBPort, adminPortOf(routerB));
        clientA.awaitAdmin(Duration.ofSeconds(60));
        clientB.awaitAdmin(Duration.ofSeconds(60));
        // The subgraph joins through router A; router B follows the same store (its /health is 200 once it has it).
        assertThat(clientA.publish("shop", shop.url(0, "/graphql"), CountingSubgraph.SDL).statusCode()).isEqualTo(200);
        routerA.awaitHealthy(http, Duration.ofSeconds(20));
        routerB.awaitHealthy(http, Duration.ofSeconds(20));

        for (int i = 0; i < 2; i++) {
            edgePorts[i] = JavaProcess.freePort();
            edgeAdminPorts[i] = JavaProcess.freePort();
            Path config = work.resolve("edge-" + (i + 1) + ".yaml");
            Files.writeString(config, edgeConfig(edgePorts[i]));
            processes.add(JavaProcess.start("edge-" + (i + 1), "edge.jar", List.of(),
                    Map.of("ATRIUM_PORT", Integer.toString(edgeAdminPorts[i]), "ATRIUM_EDGE_CONFIG", config.toString(),
                            "ATRIUM_ADMIN_TOKEN", ADMIN_TOKEN),
                    work, URI.create("http://127.0.0.1:" + edgeAdminPorts[i] + "/health")));
        }
        for (JavaProcess process : processes) {
            process.awaitHealthy(http, Duration.ofSeconds(60));
        }
        // Redis is connected in the background: the warm-up route refuses (closed) until each edge's store answers,
        // and each router's budget adds RateLimit headers once its store answers.
        for (int edge = 0; edge < 2; edge++) {
            int e = edge;
            await(() -> get(e, "/warm"), r -> r.statusCode() == 200, Duration.ofSeconds(20));
        }
        for (RouterClient router : List.of(clientA, clientB)) {
            await(() -> postGraphQL(router, "warm-up", "{ __typename }"),
                    r -> r.headers().firstValue("RateLimit-Limit").isPresent(), Duration.ofSeconds(20));
        }
    }

    private JavaProcess startRouter(Path work, String name, int listener, int port) throws IOException {
        int adminPort = JavaProcess.freePort();
        Path config = work.resolve("router-" + name + ".yaml");
        Files.writeString(config, """
                format_version: 1
                demand_control:
                  enabled: true
                  max: %d
                  rate_limit:
                    key: client
                    limits: [ { units: %d, period_ms: 86400000 } ]
                    redis_url: "%s"
                subgraphs:
                  shop:
                    url: "%s"   # this router's own listener of the subgraph: the subgraph sees who sent what
                """.formatted(BUDGET, BUDGET, redis.url(), shop.url(listener, "/graphql")));
        JavaProcess router = JavaProcess.start("router-" + name, "router.jar",
                List.of("--registry", redis.url(), "--config", config.toString(), "--port", Integer.toString(port),
                        "--admin-port", Integer.toString(adminPort)),
                Map.of("ATRIUM_ROUTER_ADMIN_TOKEN", RouterClient.TOKEN), work,
                URI.create("http://127.0.0.1:" + port + "/health"));
        processes.add(router);
        adminPorts.put(router, adminPort);
        return router;
    }

    private int adminPortOf(JavaProcess router) {
        return adminPorts.get(router);
    }

    /**
     * Both edges' route file: the routers as one cluster (health-checked every 300 ms; GETs go twice, to the other
     * router; the retry budget large enough for every request in flight on a router that dies), a global limit in
     * Redis on /limited and a warm-up route that refuses while the edge's store is not connected yet.
     */
    private String edgeConfig(int port) {
        return """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: %d }
                rate_limit:
                  store: redis
                  redis: { url: "%s", command_timeout: 1s }
                clusters:
                  routers:
                    endpoints: [ "http://127.0.0.1:%d", "http://127.0.0.1:%d" ]
                    connect_timeout: 1s
                    response_timeout: 15s
                    health_check: { path: /health, interval: 300ms, timeout: 250ms, unhealthy_threshold: 2 }
                    retry: { max_attempts: 2, budget: { percent: 100, min_concurrency: 16 } }
                  plain: { endpoints: [ "%s" ] }
                routes:
                  - { name: graphql, match: { path_prefix: /graphql }, cluster: routers, auth: { public: true } }
                  - name: limited
                    match: { path_prefix: /limited }
                    cluster: plain
                    auth: { public: true }
                    rate_limit: { key: route, limits: [ { requests: %d, period: 10m } ], on_store_failure: closed }
                  - name: warm
                    match: { path_prefix: /warm }
                    cluster: plain
                    auth: { public: true }
                    rate_limit: { key: route, limits: [ { requests: 1000, period: 10m } ], on_store_failure: closed }
                """.formatted(port, redis.url(), routerAPort, routerBPort, shop.url(0, ""), GLOBAL_LIMIT);
    }

    @AfterAll
    void stopInstances() throws Exception {
        List<String> stackTraces = JavaProcess.stopAll(processes);
        if (shop != null) {
            shop.close();
        }
        if (redis != null) {
            redis.close();
        }
        http.close();
        assertThat(stackTraces).as("stack traces in the logs").isEmpty();
    }

    // ------------------------------------------------------------------ (a) one rate limit over both edges

    /** Requests alternate between the edges: each admits half of the limit, together exactly the limit. */
    @Test
    @Order(1)
    void globalRateLimitHoldsAcrossBothEdges() throws Exception {
        int before = shop.plainRequests();
        int[] admitted = new int[2];
        List<HttpResponse<String>> refused = new ArrayList<>();
        for (int i = 0; i < 3 * GLOBAL_LIMIT; i++) {
            HttpResponse<String> answer = get(i % 2, "/limited/item");
            if (answer.statusCode() == 200) {
                admitted[i % 2]++;
                assertThat(answer.headers().firstValue("RateLimit-Limit")).hasValue(Integer.toString(GLOBAL_LIMIT));
            } else {
                refused.add(answer);
            }
        }
        assertThat(admitted[0] + admitted[1]).as("admitted over both edges").isEqualTo(GLOBAL_LIMIT);
        assertThat(admitted).as("each edge admitted its half, not a limit of its own").containsExactly(5, 5);
        assertThat(refused).hasSize(2 * GLOBAL_LIMIT);
        for (HttpResponse<String> answer : refused) {
            assertThat(answer.statusCode()).isEqualTo(429);
            assertThat(answer.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(answer.body()).get("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(answer.headers().firstValue("RateLimit-Limit")).hasValue(Integer.toString(GLOBAL_LIMIT));
            assertThat(answer.headers().firstValue("RateLimit-Remaining")).hasValue("0");
            assertThat(Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        }
        assertThat(shop.plainRequests() - before).as("refused requests never reached the upstream")
                .isEqualTo(GLOBAL_LIMIT);
    }

    // ------------------------------------------------------------------ (b) one registry and one budget over both routers

    /** A publish through router A's admin API is live on router B: B plans and answers the new field. */
    @Test
    @Order(2)
    void registryChangeThroughRouterAIsLiveOnRouterB() throws Exception {
        assertThat(clientA.publish("shop", shop.url(0, "/graphql"), CountingSubgraph.SDL_WITH_PRICE).statusCode())
                .isEqualTo(200);
        HttpResponse<String> onB = await(() -> clientB.query("{ widgets { name price } }"),
                r -> r.statusCode() == 200 && !r.body().contains("\"errors\""), Duration.ofSeconds(10));
        assertThat(JSON.readTree(onB.body()).at("/data/widgets/0/price").asInt()).isEqualTo(120);
    }

    /**
     * `{ report }` costs 400000: two on router A leave 200000 of the client's budget, so router B refuses the third
     * (429 COST_RATE_LIMITED) and admits a widgets query (10 units: a list of 10 objects) from what A left.
     */
    @Test
    @Order(3)
    void costBudgetSpentOnRouterAIsSpentOnRouterB() throws Exception {
        HttpResponse<String> first = postGraphQL(clientA, "budget", "{ report }");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(remaining(first)).isBetween(600_000L, 600_000L + REFILL_SLACK);
        assertThat(remaining(postGraphQL(clientA, "budget", "{ report }"))).isBetween(200_000L, 200_000L + REFILL_SLACK);

        HttpResponse<String> refusedOnB = postGraphQL(clientB, "budget", "{ report }");
        assertThat(refusedOnB.statusCode()).isEqualTo(429);
        JsonNode error = JSON.readTree(refusedOnB.body()).at("/errors/0");
        assertThat(error.at("/extensions/code").asText()).isEqualTo("COST_RATE_LIMITED");
        assertThat(refusedOnB.body()).doesNotContain("\"data\"");
        assertThat(Long.parseLong(refusedOnB.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        // what is left on router B is what router A left: a widgets query (10 units) still fits there
        HttpResponse<String> cheapOnB = postGraphQL(clientB, "budget", WIDGETS);
        assertThat(cheapOnB.statusCode()).as(cheapOnB.body()).isEqualTo(200);
        assertThat(remaining(cheapOnB)).as("router B sees what router A spent")
                .isBetween(199_990L, 199_990L + REFILL_SLACK);
        assertThat(postGraphQL(clientB, "another-client", "{ report }").statusCode())
                .as("router B itself admits another client's operation").isEqualTo(200);
    }

    // ------------------------------------------------------------------ (c) a router dies under load

    /**
     * Six clients send GraphQL GETs through both edges without pause; router A is killed (SIGKILL) in the middle.
     * Every request still answers 200 with data: the ones in flight on A and the ones that find it gone are retried
     * on B, and the edge takes A out (health check and ejection). A mutation held in A's fetch when it dies reached
     * the subgraph once and its client gets a 502 problem; the edge never sends it again to B.
     */
    @Test
    @Order(4)
    void killingARouterUnderLoadLosesNoQueryAndSendsNoMutationTwice() throws Exception {
        // mutations in flight on both routers: held at the subgraph until router A is dead
        shop.holdMutations();
        Map<String, CompletableFuture<HttpResponse<String>>> mutations = new LinkedHashMap<>();
        AtomicInteger orderIds = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!sentThrough("a", mutations.keySet()) || !sentThrough("b", mutations.keySet())) {
            assertThat(System.nanoTime()).as("a mutation held on each router").isLessThan(deadline);
            if (mutations.keySet().stream().allMatch(id -> !shop.arrivals(id).isEmpty())) {
                String id = "order-" + orderIds.incrementAndGet();
                mutations.put(id, postGraphQLAsync(mutations.size() % 2, PLACE_ORDER, Map.of("id", id)));
            }
            Thread.sleep(20);
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger answeredAfterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            int edge = c % 2;
            clients.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> answer = graphQLGet(edge, WIDGETS);
                        JsonNode body = JSON.readTree(answer.body());
                        if (answer.statusCode() != 200 || body.has("errors")
                                || !body.at("/data/widgets/0/name").asText().equals("Table")) {
                            failures.add(answer.statusCode() + " " + answer.body());
                        }
                    } catch (IOException | InterruptedException e) {
                        failures.add(e.toString());
                    }
                    answered.incrementAndGet();
                    if (killed.get()) {
                        answeredAfterKill.incrementAndGet();
                    }
                }
            }));
        }
        try {
            awaitCount(answered, 60, Duration.ofSeconds(20));
            routerA.kill();
            killed.set(true);
            shop.releaseMutations();
            awaitCount(answeredAfterKill, 150, Duration.ofSeconds(20));
            for (int edge = 0; edge < 2; edge++) {
                int e = edge;
                await(() -> clusters(e), r -> routerAIsOutOfRotation(r.body()), Duration.ofSeconds(10));
            }
        } finally {
            stop.set(true);
            shop.releaseMutations();
            for (Thread client : clients) {
                client.join(Duration.ofSeconds(20));
            }
        }
        assertThat(failures).as("GraphQL GETs that failed while router A died (of %d)", answered.get()).isEmpty();
        System.out.printf("MultiInstanceIT: %d GraphQL GETs through two edges, %d of them after router A was killed,"
                + " none failed; mutations in flight: %s%n", answered.get(), answeredAfterKill.get(),
                mutations.keySet().stream().map(id -> id + "@" + shop.arrivals(id)).toList());

        for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> sent : mutations.entrySet()) {
            String id = sent.getKey();
            HttpResponse<String> answer = sent.getValue().get(20, TimeUnit.SECONDS);
            List<String> arrivals = shop.arrivals(id);
            assertThat(arrivals).as("%s executed exactly once", id).hasSize(1);
            if (arrivals.getFirst().equals("b")) {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(JSON.readTree(answer.body()).at("/data/placeOrder/id").asText()).isEqualTo(id);
            } else {
                // its router died with it: a clear error, and the edge did not try router B with it
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
                assertThat(answer.headers().firstValue("content-type")).hasValue("application/problem+json");
                assertThat(JSON.readTree(answer.body()).get("code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
            }
        }
        // and a mutation sent now goes to router B only, once
        HttpResponse<String> after = postGraphQLAsync(0, PLACE_ORDER, Map.of("id", "order-999")).get(20, TimeUnit.SECONDS);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(shop.arrivals("order-999")).containsExactly("b");
    }

    private boolean sentThrough(String router, Collection<String> ids) {
        return ids.stream().anyMatch(id -> shop.arrivals(id).contains(router));
    }

    private boolean routerAIsOutOfRotation(String clustersJson) {
        try {
            for (JsonNode cluster : JSON.readTree(clustersJson).get("clusters")) {
                if (!cluster.get("name").asText().equals("routers")) {
                    continue;
                }
                for (JsonNode endpoint : cluster.get("endpoint_state")) {
                    if (endpoint.get("url").asText().endsWith(":" + routerAPort)) {
                        return !endpoint.get("available").asBoolean();
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static long remaining(HttpResponse<String> answer) {
        return Long.parseLong(answer.headers().firstValue("RateLimit-Remaining").orElseThrow());
    }

    private static void awaitCount(AtomicInteger count, int atLeast, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (count.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(count.get()).as("answers within %s", within).isGreaterThanOrEqualTo(atLeast);
    }

    // ------------------------------------------------------------------ HTTP

    private HttpResponse<String> get(int edge, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePorts[edge] + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> graphQLGet(int edge, String query) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePorts[edge] + "/graphql?query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(15)).header("apollo-require-preflight", "true").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> postGraphQLAsync(int edge, String query, Map<String, Object> variables)
            throws IOException {
        String body = JSON.writeValueAsString(Map.of("query", query, "variables", variables));
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePorts[edge] + "/graphql"))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST straight to one router, as the named client (its cost budget). */
    private HttpResponse<String> postGraphQL(RouterClient router, String client, String query) throws Exception {
        return router.query(query, "apollographql-client-name", client);
    }

    private HttpResponse<String> clusters(int edge) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgeAdminPorts[edge] + "/config/clusters"))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
