package io.atrium.edge;

import io.atrium.edge.testing.ClusterMember;
import io.atrium.edge.testing.Edge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Traffic shaping over real upstreams: header-based routing, weighted splits between clusters, request mirroring. */
class TrafficIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ClusterMember stable;
    private ClusterMember canary;
    private ClusterMember shadow;

    @BeforeEach
    void members() throws IOException {
        stable = new ClusterMember("stable");
        canary = new ClusterMember("canary");
        shadow = new ClusterMember("shadow");
    }

    @AfterEach
    void close() {
        stable.close();
        canary.close();
        shadow.close();
        http.close();
    }

    private String clusters() {
        return """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                clusters:
                  stable: { endpoints: [ "%s" ] }
                  canary: { endpoints: [ "%s" ] }
                  shadow: { endpoints: [ "%s" ], response_timeout: 5s }
                """.formatted(stable.url(), canary.url(), shadow.url());
    }

    private static Edge start(String yaml) throws IOException {
        return Edge.start(yaml, Map.of("atrium.edge.watch-config", false));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(Edge edge, String path) {
        return HttpRequest.newBuilder(URI.create(edge.url() + path));
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
    void headerConditionsPickTheRouteForTheSamePrefix() throws Exception {
        try (Edge edge = start(clusters() + """
                routes:
                  - { name: api, match: { path_prefix: /api }, cluster: stable, auth: { public: true } }
                  - name: api-canary
                    match: { path_prefix: /api, headers: [ { name: X-Canary, exact: "on" } ] }
                    cluster: canary
                    auth: { public: true }
                  - name: api-debug
                    match: { path_prefix: /api, headers: [ { name: X-Debug, present: true } ] }
                    cluster: shadow
                    auth: { public: true }
                """)) {
            assertThat(send(request(edge, "/api/x")).body()).isEqualTo("stable");
            assertThat(send(request(edge, "/api/x").header("X-Canary", "on")).body()).isEqualTo("canary");
            assertThat(send(request(edge, "/api/x").header("X-Canary", "off")).body()).isEqualTo("stable");
            assertThat(send(request(edge, "/api/x").header("X-Debug", "")).body()).isEqualTo("shadow");
            assertThat(send(request(edge, "/other")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aWeightedSplitSendsACanaryShareToTheOtherCluster() throws Exception {
        try (Edge edge = start(clusters() + """
                routes:
                  - name: api
                    match: { path_prefix: /api }
                    split: [ { cluster: stable, weight: 75 }, { cluster: canary, weight: 25 }, { cluster: shadow, weight: 0 } ]
                    auth: { public: true }
                """)) {
            int n = 200;
            for (int i = 0; i < n; i++) {
                assertThat(send(request(edge, "/api/" + i)).statusCode()).isEqualTo(200);
            }
            // 25 % of 200 is 50; the bounds are more than five standard deviations (about 6) wide.
            assertThat(canary.count("GET")).isBetween(20L, 80L);
            assertThat(stable.count("GET") + canary.count("GET")).isEqualTo(n);
            assertThat(shadow.seen()).isEmpty();
        }
    }

    @Test
    void requestsAreMirroredToTheShadowWithSmallBodiesAndTheShadowNeverSlowsTheMainExchange() throws Exception {
        shadow.mode(ClusterMember.Mode.SLOW);
        try (Edge edge = start(clusters() + """
                routes:
                  - name: api
                    match: { path_prefix: /api }
                    cluster: stable
                    auth: { public: true }
                    mirror: { cluster: shadow, max_body: 1KiB }
                """)) {
            long started = System.nanoTime();
            HttpResponse<String> got = send(request(edge, "/api/get?q=1"));
            HttpResponse<String> posted = send(request(edge, "/api/post").POST(HttpRequest.BodyPublishers.ofString("small body")));
            HttpResponse<String> big = send(request(edge, "/api/big").POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096))));
            // The shadow takes 2 s per request; the main exchanges do not wait for it.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
            assertThat(got.body()).isEqualTo("stable");
            assertThat(posted.body()).isEqualTo("stable");
            assertThat(big.body()).isEqualTo("stable");

            await("the shadow got the mirrored requests", () -> shadow.seen().size() >= 2);
            assertThat(shadow.seen()).extracting(ClusterMember.Seen::method, ClusterMember.Seen::path, ClusterMember.Seen::body)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("GET", "/api/get", ""),
                            org.assertj.core.groups.Tuple.tuple("POST", "/api/post", "small body"));
            assertThat(stable.count("POST")).isEqualTo(2);
        }
    }

    @Test
    void aDeadShadowCostsTheMainExchangeNothing() throws Exception {
        shadow.kill();
        try (Edge edge = start(clusters() + """
                routes:
                  - { name: api, match: { path_prefix: /api }, cluster: stable, auth: { public: true }, mirror: { cluster: shadow } }
                """)) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = send(request(edge, "/api/" + i).POST(HttpRequest.BodyPublishers.ofString("b" + i)));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("stable");
            }
            assertThat(stable.count("POST")).isEqualTo(20);
        }
    }
}
