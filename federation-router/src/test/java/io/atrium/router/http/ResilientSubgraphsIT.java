package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resilient subgraph calls over real HTTP (item 8 of issue 10): a subgraph killed under load opens its circuit (the
 * other subgraph's data still answers, its fields are null with {@code SUBGRAPH_CIRCUIT_OPEN}) and the circuit closes
 * once it is back; a flapping URL is ejected while its twin serves; a mutation is never sent twice when the
 * connection drops after the write, but is retried on another URL when the connection could not be made.
 */
class ResilientSubgraphsIT {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    /** Two subgraphs: {@code a} (Query.a, Mutation.writeA) and {@code b} (Query.b, Mutation.writeB). */
    private static String supergraph() {
        var result = Composer.compose(List.of(subgraph("a"), subgraph("b")));
        assertThat(result).isInstanceOf(CompositionResult.Composed.class);
        return ((CompositionResult.Composed) result).supergraphSdl();
    }

    private static SubgraphSource subgraph(String name) {
        return new SubgraphSource(name, "http://" + name + ".invalid/graphql", """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                type Query { %1$s: String }
                type Mutation { write%2$s: Int }
                """.formatted(name, name.toUpperCase()));
    }

    /** A subgraph answering its root fields, counting queries and mutations; {@code down} answers 502 with HTML. */
    private static final class Subgraph implements AutoCloseable {
        final String name;
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger mutations = new AtomicInteger();
        final AtomicBoolean down = new AtomicBoolean();
        /** When set, queries wait for it before they are answered (requests in flight). */
        volatile java.util.concurrent.CountDownLatch gate;
        HttpServer server;
        ExecutorService threads;

        Subgraph(String name, int port) throws IOException {
            this.name = name;
            start(port);
        }

        void start(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/graphql", exchange -> {
                String query = (String) ((Map<?, ?>) Json.read(exchange.getRequestBody().readAllBytes())).get("query");
                boolean mutation = query.startsWith("mutation");
                (mutation ? mutations : queries).incrementAndGet();
                if (gate != null) {
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] body = down.get() ? "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8)
                        : Json.write(Map.of("data", mutation ? Map.of("write" + name.toUpperCase(), 1) : Map.of(name, name.toUpperCase())));
                exchange.getResponseHeaders().set("content-type", down.get() ? "text/html" : "application/json");
                exchange.sendResponseHeaders(down.get() ? 502 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            threads = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(threads);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url() {
            return "http://127.0.0.1:" + port() + "/graphql";
        }

        void kill() {
            server.stop(0);
            threads.close();
        }

        @Override
        public void close() {
            kill();
        }
    }

    private Subgraph subgraph(String name, int port) throws IOException {
        Subgraph subgraph = new Subgraph(name, port);
        resources.add(subgraph);
        return subgraph;
    }

    private RouterUnderTest router(String subgraphs) throws Exception {
        RouterUnderTest router = RouterUnderTest.start(RouterUnderTest.newDirectory(), supergraph(), """
                format_version: 1
                hot_reload: false
                subgraphs:
                %s""".formatted(subgraphs.indent(2)));
        resources.add(router);
        return router;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> send(RouterUnderTest router, String query) throws Exception {
        var response = router.post(RouterUnderTest.queryBody(query));
        assertThat(response.statusCode()).isEqualTo(200);
        return (Map<String, Object>) Json.read(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<String> codes(Map<String, Object> response) {
        List<String> codes = new ArrayList<>();
        for (Object error : (List<Object>) response.getOrDefault("errors", List.of())) {
            codes.add(String.valueOf(((Map<String, Object>) ((Map<String, Object>) error).get("extensions")).get("code")));
        }
        return codes;
    }

    private static Map<?, ?> data(Map<String, Object> response) {
        return (Map<?, ?>) response.get("data");
    }

    @Test
    void aSubgraphKilledUnderLoadOpensItsCircuitAndTheCircuitClosesAfterRecovery() throws Exception {
        Subgraph a = subgraph("a", 0);
        Subgraph b = subgraph("b", 0);
        RouterUnderTest router = router("""
                a: { url: "%s" }
                b:
                  url: "%s"
                  circuit_breaker: { window_size: 10, minimum_calls: 4, failure_rate_threshold: 50, open_duration: 300ms, half_open_calls: 1 }
                """.formatted(a.url(), b.url()));
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger loadFailures = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(3);
        resources.add(() -> {
            loading.set(false);
            load.shutdown();
            load.awaitTermination(10, TimeUnit.SECONDS);
        });
        for (int i = 0; i < 3; i++) {
            load.submit(() -> {
                while (loading.get()) {
                    try {
                        Map<String, Object> response = send(router, "{ a b }");
                        if (!"A".equals(data(response).get("a"))) {
                            loadFailures.incrementAndGet(); // the healthy subgraph's data must always answer
                        }
                    } catch (Exception | AssertionError e) {
                        loadFailures.incrementAndGet();
                    }
                }
                return null;
            });
        }
        assertThat(data(send(router, "{ a b }"))).isEqualTo(Map.of("a", "A", "b", "B"));

        int port = b.port();
        b.kill();
        Map<String, Object> open = awaitResponse(router, r -> codes(r).contains("SUBGRAPH_CIRCUIT_OPEN"));
        assertThat(data(open).get("a")).isEqualTo("A");
        assertThat(data(open).containsKey("b")).isTrue();
        assertThat(data(open).get("b")).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) ((List<?>) open.get("errors")).getFirst();
        assertThat((String) error.get("message")).contains("'b'");
        assertThat(((Map<?, ?>) error.get("extensions")).get("serviceName")).isEqualTo("b");

        b.start(port); // back on the same port: after open_duration a probe goes through and closes the circuit
        awaitResponse(router, r -> "B".equals(data(r).get("b")));
        for (int i = 0; i < 10; i++) {
            Map<String, Object> response = send(router, "{ a b }");
            assertThat(data(response)).isEqualTo(Map.of("a", "A", "b", "B"));
            assertThat(response).doesNotContainKey("errors");
        }
        loading.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loadFailures).hasValue(0);
    }

    /** Sends {@code { a b }} until a response matches (the condition is awaited, not slept for). */
    private static Map<String, Object> awaitResponse(RouterUnderTest router,
                                                    java.util.function.Predicate<Map<String, Object>> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Map<String, Object> response = send(router, "{ a b }");
            if (condition.test(response)) {
                return response;
            }
            assertThat(System.nanoTime()).as("awaited response, last: " + response).isLessThan(deadline);
        }
    }

    @Test
    void aFlappingUrlIsEjectedWhileItsTwinServes() throws Exception {
        Subgraph a = subgraph("a", 0);
        Subgraph twin = subgraph("b", 0);
        Subgraph flapping = subgraph("b", 0);
        RouterUnderTest router = router("""
                a: { url: "%s" }
                b:
                  urls: ["%s", "%s"]
                  outlier_detection: { consecutive_5xx: 3, base_ejection_time: 30s }
                """.formatted(a.url(), flapping.url(), twin.url()));
        assertThat(data(send(router, "{ b }"))).isEqualTo(Map.of("b", "B"));
        assertThat(data(send(router, "{ b }"))).isEqualTo(Map.of("b", "B"));
        assertThat(flapping.queries).hasValue(1); // round robin: one each
        flapping.down.set(true);
        for (int i = 0; i < 10; i++) {
            // a 502 from the flapping URL is retried on its twin: the client never sees it
            Map<String, Object> response = send(router, "{ b }");
            assertThat(data(response)).isEqualTo(Map.of("b", "B"));
            assertThat(response).doesNotContainKey("errors");
        }
        int sentToFlapping = flapping.queries.get();
        assertThat(sentToFlapping).isBetween(4, 5); // 1 before, then 3 consecutive failures eject it
        for (int i = 0; i < 20; i++) {
            assertThat(data(send(router, "{ b }"))).isEqualTo(Map.of("b", "B"));
        }
        assertThat(flapping.queries).as("ejected: no request while its twin serves").hasValue(sentToFlapping);
        assertThat(twin.queries.get()).isGreaterThanOrEqualTo(31);
    }

    @Test
    void aMutationIsNeverSentTwiceButRetriedWhenItProvablyNeverLeft() throws Exception {
        DroppingSubgraph dropping = new DroppingSubgraph();
        resources.add(dropping);
        Subgraph b = subgraph("b", 0);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed: connections are refused
        }
        RouterUnderTest router = router("""
                a: { url: "http://127.0.0.1:%d/graphql" }
                b: { urls: ["http://127.0.0.1:%d/graphql", "%s"] }
                """.formatted(dropping.port(), closedPort, b.url()));

        Map<String, Object> mutation = send(router, "mutation { writeA }");
        assertThat(codes(mutation)).containsExactly("SUBGRAPH_REQUEST_FAILED");
        assertThat(dropping.mutations).as("written, then the connection dropped: never sent again").hasValue(1);

        Map<String, Object> query = send(router, "{ a }");
        assertThat(codes(query)).containsExactly("SUBGRAPH_REQUEST_FAILED");
        assertThat(dropping.queries).as("a query is retried").hasValue(2);

        for (int i = 0; i < 4; i++) {
            // round robin sends every first attempt to the closed port: refused, so retried on the other URL
            Map<String, Object> response = send(router, "mutation { writeB }");
            assertThat(data(response)).isEqualTo(Map.of("writeB", 1));
            assertThat(response).doesNotContainKey("errors");
        }
        assertThat(b.mutations).hasValue(4);
    }

    @Test
    void identicalQueriesInFlightShareOneRequestWhenDeduplicating() throws Exception {
        Subgraph a = subgraph("a", 0);
        Subgraph b = subgraph("b", 0);
        RouterUnderTest router = router("""
                a: { url: "%s", deduplicate_queries: true }
                b: { url: "%s" }
                """.formatted(a.url(), b.url()));
        a.gate = new java.util.concurrent.CountDownLatch(1);
        b.gate = a.gate;
        List<java.util.concurrent.CompletableFuture<Map<String, Object>>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3; i++) {
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return send(router, "{ a b }");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, clients));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // b is not de-duplicated: three requests there mean the three fetches to a (same Parallel node) went too
            while (b.queries.get() < 3) {
                assertThat(System.nanoTime()).as("three requests in flight").isLessThan(deadline);
                Thread.onSpinWait();
            }
            a.gate.countDown();
            for (var answer : answers) {
                assertThat(data(answer.get(10, TimeUnit.SECONDS))).isEqualTo(Map.of("a", "A", "b", "B"));
            }
        }
        assertThat(a.queries).as("deduplicated").hasValue(1);
        assertThat(b.queries).as("off by default").hasValue(3);
    }

    /** Reads each request whole, counts it, and closes the connection without an answer. */
    private static final class DroppingSubgraph implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger mutations = new AtomicInteger();
        final Thread acceptor;

        DroppingSubgraph() throws IOException {
            acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        String body = readRequestBody(socket.getInputStream());
                        (body.contains("\"mutation") ? mutations : queries).incrementAndGet();
                    } catch (IOException e) {
                        // closed: the test is over
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static String readRequestBody(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int length = 0;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return "";
                }
                head.write(c);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    for (String line : text.split("\r\n")) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
