package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two edge instances sharing one real Redis (a redis-server process on a random port) hold one global limit. */
class SharedRateLimitIT {

    private RedisServer redis;
    private TestUpstream upstream;
    private final List<Edge> edges = new ArrayList<>();
    private HttpClient http;

    @BeforeEach
    void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = RedisServer.builder().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
        redis.start();
        upstream = new TestUpstream();
        String config = """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                rate_limit:
                  store: redis
                  redis: { url: "redis://127.0.0.1:%d", command_timeout: 2s }
                  on_store_failure: closed
                clusters:
                  echo:
                    endpoints: [ "%s" ]
                routes:
                  - name: shared
                    match: { path_prefix: /shared }
                    cluster: echo
                    auth: { public: true }
                    rate_limit: { key: route, limits: [ { requests: 5, period: 10m } ] }
                  - name: leased
                    match: { path_prefix: /leased }
                    cluster: echo
                    auth: { public: true }
                    rate_limit: { key: route, limits: [ { requests: 1000000, period: 1000h } ] }
                """.formatted(port, upstream.url());
        edges.add(Edge.start(config));
        edges.add(Edge.start(config));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() throws IOException {
        for (Edge edge : edges) {
            edge.close();
        }
        upstream.close();
        http.close();
        redis.stop();
    }

    @Test
    void twoInstancesShareOneLimit() throws Exception {
        // The store connects in the background and the route fails closed until then: wait for the first decision.
        int passed = 0;
        int limited = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int first = status(edges.get(0));
        while (first == 503 && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling the condition "the store has connected", not waiting for time to pass
            first = status(edges.get(0));
        }
        assertThat(first).isEqualTo(200);
        passed++;
        for (int i = 1; i < 12; i++) {
            int status = status(edges.get(i % 2));
            assertThat(status).isIn(200, 429);
            if (status == 200) {
                passed++;
            } else {
                limited++;
            }
        }

        assertThat(passed).as("requests let through by both edges together").isEqualTo(5);
        assertThat(limited).isEqualTo(7);
        for (int i = 0; i < 5; i++) {
            upstream.takeRequest();
        }
        assertThat(upstream.pollRequest()).as("the upstream never sees a rejected request").isNull();
    }

    @Test
    void underAHighLimitEdgesSpendLeasesAndAskRedisRarely() throws Exception {
        awaitStore(edges.get(0), "/leased/x");
        awaitStore(edges.get(1), "/leased/x");
        long callsBefore = scriptCalls();
        long[] firstRemaining = new long[2];
        long[] lastRemaining = new long[2];
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> response = send(edges.get(i % 2), "/leased/x");
            assertThat(response.statusCode()).isEqualTo(200);
            long remaining = Long.parseLong(response.headers().firstValue("RateLimit-Remaining").orElseThrow());
            // what Redis had left at the edge's last lease plus its unused units: off the exact count by no more
            // than the other edge's leases (two of 64 units) taken or spent since
            long exact = 1_000_000L - 3 - i;
            assertThat(remaining).isBetween(exact - 2 * 64, exact + 2 * 64 + 1);
            if (i < 2) {
                firstRemaining[i] = remaining;
            }
            lastRemaining[i % 2] = remaining;
        }
        assertThat(lastRemaining[0]).isLessThan(firstRemaining[0] - 50);
        assertThat(lastRemaining[1]).isLessThan(firstRemaining[1] - 50);
        // leases of 64 units (current and next) per edge: a few calls each, not one per request
        assertThat(scriptCalls() - callsBefore).isLessThan(20);
    }

    private void awaitStore(Edge edge, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (send(edge, path).headers().firstValue("RateLimit-Remaining").isEmpty()) {
            assertThat(System.nanoTime()).as("the edge reaches Redis").isLessThan(deadline);
            Thread.sleep(20); // polling the condition "the store has connected", not waiting for time to pass
        }
    }

    /** Script calls the real Redis has run (its own INFO commandstats). */
    private long scriptCalls() {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + redis.ports().getFirst());
        try (var connection = client.connect()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_(?:evalsha|eval):calls=(\\d+)")
                    .matcher(connection.sync().info("commandstats"));
            long calls = 0;
            while (m.find()) {
                calls += Long.parseLong(m.group(1));
            }
            return calls;
        } finally {
            client.shutdown();
        }
    }

    private HttpResponse<String> send(Edge edge, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(edge.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int status(Edge edge) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/shared/x")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
