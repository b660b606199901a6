package io.atrium.edge;

import io.atrium.edge.testing.ClusterMember;
import io.atrium.edge.testing.Edge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clusters of several real endpoints on loopback behind the edge: load balancing, passive outlier ejection, active
 * health checks, retries (and which requests may be sent twice), per-try timeouts and the circuit breaker.
 */
class ResilienceIT {

    private static final String TOKEN = "resilience-admin-token";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ClusterMember a;
    private ClusterMember b;

    @BeforeEach
    void members() throws IOException {
        a = new ClusterMember("a");
        b = new ClusterMember("b");
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        http.close();
    }

    private static String config(String clusterBody) {
        return """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                clusters:
                  svc:
                %s
                routes:
                  - { name: svc, match: { path_prefix: / }, cluster: svc, auth: { public: true } }
                """.formatted(clusterBody.indent(4).stripTrailing());
    }

    private HttpResponse<String> get(Edge edge, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Edge edge, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String admin(Edge edge, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge.adminUrl() + path));
        if (path.startsWith("/config")) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Edge start(String yaml) throws IOException {
        return Edge.start(yaml, Map.of("atrium.admin.token", TOKEN, "atrium.edge.watch-config", false));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void anEndpointAnswering5xxIsEjectedAndIdempotentRequestsNeverSeeTheError() throws Exception {
        b.failWith(503);
        try (Edge edge = start(config("""
                endpoints: [ "%s", "%s" ]
                outlier_detection: { consecutive_5xx: 2, base_ejection_time: 30s }
                """.formatted(a.url(), b.url())))) {
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> response = get(edge, "/items/" + i);
                assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a");
            }
            // Two consecutive 503s eject b; every request it failed went again to a.
            assertThat(b.count("GET")).isEqualTo(2);
            assertThat(a.count("GET")).isEqualTo(30);
            String clusters = admin(edge, "/config/clusters");
            assertThat(clusters).contains("\"url\":\"" + b.url() + "\",\"weight\":1,\"health\":\"healthy\",\"ejected\":true");
            String metrics = admin(edge, "/metrics");
            assertThat(metrics).contains("atrium_outlier_ejections_total{cluster=\"svc\",endpoint=\"127.0.0.1:" + b.url().substring(17) + "\"")
                    .contains("atrium_edge_endpoint_ejected{cluster=\"svc\",endpoint=\"127.0.0.1:" + b.url().substring(17) + "\"} 1.0")
                    .containsPattern("atrium_retry_attempts_total\\{cluster=\"svc\"} 2\\.0");
        }
    }

    @Test
    void aDeadEndpointCostsNoClientErrorAndARefusedPostIsRetriedOnceOnTheOtherEndpoint() throws Exception {
        b.kill();
        try (Edge edge = start(config("""
                endpoints: [ "%s", "%s" ]
                outlier_detection: { consecutive_connect_failures: 3 }
                """.formatted(a.url(), b.url())))) {
            for (int i = 0; i < 10; i++) {
                assertThat(get(edge, "/g/" + i).statusCode()).isEqualTo(200);
                HttpResponse<String> posted = post(edge, "/p/" + i, "order-" + i);
                assertThat(posted.statusCode()).as("POST %d", i).isEqualTo(200);
                assertThat(posted.body()).isEqualTo("a");
            }
            // The refused connection proves the POSTs never reached b; a saw each exactly once.
            for (int i = 0; i < 10; i++) {
                String body = "order-" + i;
                assertThat(a.seen().stream().filter(s -> s.method().equals("POST") && s.body().equals(body)).count()).isEqualTo(1);
            }
            assertThat(admin(edge, "/config/clusters")).contains("\"url\":\"" + b.url() + "\",\"weight\":1,\"health\":\"healthy\",\"ejected\":true");
        }
    }

    @Test
    void anEndpointDyingUnderTrafficCostsIdempotentRequestsNothing() throws Exception {
        try (Edge edge = start(config("""
                endpoints: [ "%s", "%s" ]
                outlier_detection: { consecutive_connect_failures: 2 }
                """.formatted(a.url(), b.url())))) {
            for (int i = 0; i < 10; i++) {
                assertThat(get(edge, "/before/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(b.count("GET")).isEqualTo(5);
            // b goes away with pooled keep-alive connections open to it.
            b.kill();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = get(edge, "/after/" + i);
                assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a");
            }
            assertThat(a.count("GET")).isEqualTo(25);
        }
    }

    @Test
    void aPostThatMayHaveReachedTheUpstreamIsNeverSentTwiceButAGetIsRetried() throws Exception {
        try (ResettingUpstream resetting = new ResettingUpstream();
             Edge edge = start(config("""
                     endpoints: [ "%s", "%s" ]
                     load_balancing: round_robin
                     outlier_detection: { enabled: false }
                     """.formatted(resetting.url(), a.url())))) {
            int postsToA = 0;
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> posted = post(edge, "/p/" + i, "once-" + i);
                if (posted.statusCode() == 200) {
                    postsToA++;
                } else {
                    assertThat(posted.statusCode()).isEqualTo(502);
                    assertThat(posted.body()).contains("UPSTREAM_UNAVAILABLE");
                }
            }
            // Round robin sends every other POST to the resetting endpoint: those fail, and reach nobody a second time.
            assertThat(resetting.requests()).isEqualTo(2);
            assertThat(postsToA).isEqualTo(2);
            assertThat(a.count("POST")).isEqualTo(2);

            for (int i = 0; i < 4; i++) {
                assertThat(get(edge, "/g/" + i).statusCode()).isEqualTo(200);
            }
            // GETs that met the resetting endpoint went again to a: a answered all of them.
            assertThat(resetting.requests()).isGreaterThan(2);
            assertThat(a.count("GET")).isEqualTo(4);
        }
    }

    @Test
    void activeHealthChecksTakeAnEndpointOutOfRotationAndBringItBack() throws Exception {
        try (Edge edge = start(config("""
                endpoints: [ "%s", "%s" ]
                health_check: { path: /health, interval: 100ms, timeout: 100ms, healthy_threshold: 1, unhealthy_threshold: 2 }
                """.formatted(a.url(), b.url())))) {
            await("both endpoints were probed", () -> a.probes() > 0 && b.probes() > 0);
            b.failWith(503);
            await("b is unhealthy", () -> adminQuietly(edge).contains("\"url\":\"" + b.url() + "\",\"weight\":1,\"health\":\"unhealthy\""));
            b.mode(ClusterMember.Mode.OK);
            b.clear();
            // b answers again but stays out of rotation until a probe passes; meanwhile requests go to a.
            await("b is healthy again", () -> adminQuietly(edge).contains("\"url\":\"" + b.url() + "\",\"weight\":1,\"health\":\"healthy\""));
            for (int i = 0; i < 10; i++) {
                assertThat(get(edge, "/x/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(b.count("GET")).isEqualTo(5);
            assertThat(admin(edge, "/metrics")).contains("atrium_health_check_transitions_total{cluster=\"svc\",endpoint=\"127.0.0.1:"
                    + b.url().substring(17) + "\",state=\"unhealthy\"} 1.0");
        }
    }

    @Test
    void unhealthyEndpointsGetNoTraffic() throws Exception {
        b.failWith(500);
        try (Edge edge = start(config("""
                endpoints: [ "%s", "%s" ]
                health_check: { interval: 100ms, timeout: 100ms, unhealthy_threshold: 1 }
                """.formatted(a.url(), b.url())))) {
            await("b is unhealthy", () -> adminQuietly(edge).contains("\"health\":\"unhealthy\""));
            b.clear();
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> response = get(edge, "/x/" + i);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a");
            }
            assertThat(b.seen()).isEmpty();
            assertThat(admin(edge, "/metrics")).contains("atrium_edge_endpoint_healthy{cluster=\"svc\",endpoint=\"127.0.0.1:"
                    + b.url().substring(17) + "\"} 0.0");
        }
    }

    @Test
    void weightedBalancingSplitsByWeight() throws Exception {
        try (Edge edge = start(config("""
                endpoints: [ { url: "%s", weight: 3 }, { url: "%s", weight: 1 } ]
                load_balancing: weighted
                """.formatted(a.url(), b.url())))) {
            for (int i = 0; i < 40; i++) {
                assertThat(get(edge, "/w/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(a.count("GET")).isEqualTo(30);
            assertThat(b.count("GET")).isEqualTo(10);
        }
    }

    @Test
    void leastRequestBalancingUsesEveryEndpoint() throws Exception {
        try (Edge edge = start(config("""
                endpoints: [ "%s", "%s" ]
                load_balancing: least_request
                """.formatted(a.url(), b.url())))) {
            for (int i = 0; i < 40; i++) {
                assertThat(get(edge, "/l/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(a.count("GET") + b.count("GET")).isEqualTo(40);
            assertThat(a.count("GET")).isPositive();
            assertThat(b.count("GET")).isPositive();
        }
    }

    @Test
    void aSlowEndpointHitsThePerTryTimeoutAndTheRequestIsAnsweredByAnother() throws Exception {
        b.mode(ClusterMember.Mode.SLOW);
        try (Edge edge = start(config("""
                endpoints: [ "%s", "%s" ]
                retry: { per_try_timeout: 300ms, max_attempts: 2 }
                """.formatted(b.url(), a.url())))) {
            for (int i = 0; i < 2; i++) {
                long started = System.nanoTime();
                HttpResponse<String> response = get(edge, "/s/" + i);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
            }
            assertThat(b.count("GET")).isBetween(1L, 2L);
        }
    }

    @Test
    void theResponseTimeoutStillEndsAnExchangeThatRetriesCannotSave() throws Exception {
        a.mode(ClusterMember.Mode.SLOW);
        try (Edge edge = start(config("""
                endpoints: [ "%s" ]
                response_timeout: 400ms
                """.formatted(a.url())))) {
            long started = System.nanoTime();
            HttpResponse<String> response = get(edge, "/slow");
            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).contains("UPSTREAM_TIMEOUT");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
            assertThat(a.count("GET")).isEqualTo(1);
        }
    }

    @Test
    void theCircuitOpensAfterFailuresAndAnswers503WithoutCallingTheUpstream() throws Exception {
        a.failWith(500);
        try (Edge edge = start(config("""
                endpoints: [ "%s" ]
                circuit_breaker: { window_size: 4, minimum_calls: 4, failure_rate_threshold: 50, open_duration: 30s }
                """.formatted(a.url())))) {
            for (int i = 0; i < 4; i++) {
                assertThat(get(edge, "/c/" + i).statusCode()).isEqualTo(500);
            }
            HttpResponse<String> refused = get(edge, "/c/open");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(refused.body()).contains("\"code\":\"UPSTREAM_CIRCUIT_OPEN\"");
            assertThat(refused.headers().firstValue("retry-after")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 30L));
            assertThat(a.count("GET")).isEqualTo(4);
            assertThat(admin(edge, "/config/clusters")).contains("\"circuit_state\":\"open\"");
            assertThat(admin(edge, "/metrics")).contains("atrium_edge_cluster_circuit_state{cluster=\"svc\"} 2.0")
                    .contains("atrium_circuit_breaker_rejected_total{cluster=\"svc\"} 1.0");
        }
    }

    private String adminQuietly(Edge edge) {
        try {
            return admin(edge, "/config/clusters");
        } catch (Exception e) {
            return "";
        }
    }

    /** Accepts connections, reads a request head, then closes without answering (a crash after the request arrived). */
    private static final class ResettingUpstream implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger requests = new AtomicInteger();
        private final Thread acceptor;

        ResettingUpstream() throws IOException {
            acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread.ofVirtual().start(() -> serve(socket));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket socket) {
            try (socket; InputStream in = socket.getInputStream()) {
                StringBuilder head = new StringBuilder();
                int c;
                while ((c = in.read()) != -1) {
                    head.append((char) c);
                    if (head.toString().endsWith("\r\n\r\n")) {
                        requests.incrementAndGet();
                        return;
                    }
                }
            } catch (IOException e) {
                // the edge gave up first
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            acceptor.interrupt();
        }
    }
}
