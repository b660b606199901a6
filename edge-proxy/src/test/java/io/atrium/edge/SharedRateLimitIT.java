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

    private int status(Edge edge) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/shared/x")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
