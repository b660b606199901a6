package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.TestUpstream;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Metrics on the admin port, the access log line, W3C trace context propagation. */
class ObservabilityIT {

    private static final String KEY = "observability-key-0123456789";

    private static TestUpstream upstream;
    private static Edge edge;
    private static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        upstream = new TestUpstream();
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                auth:
                  api_keys:
                    consumers: [ { name: metrics-app, key_sha256: "%s" } ]
                clusters:
                  echo:
                    endpoints: [ "%s" ]
                routes:
                  - name: observed
                    match: { path_prefix: /observed }
                    cluster: echo
                """.formatted(ApiKeyAuthenticator.digestHex(KEY), upstream.url()));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws IOException {
        edge.close();
        upstream.close();
        http.close();
    }

    @BeforeEach
    void clear() {
        upstream.clear();
    }

    @Test
    void metricsCountRequestsByRouteAndStatusClassWithLatencyHistograms() throws Exception {
        assertThat(send("/observed/a", KEY, null).statusCode()).isEqualTo(200);
        assertThat(send("/observed/a", null, null).statusCode()).isEqualTo(401);
        assertThat(send("/nowhere", null, null).statusCode()).isEqualTo(404);

        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics)
                .containsPattern("atrium_edge_requests_seconds_count\\{route=\"observed\",status=\"2xx\"\\} [1-9]")
                .containsPattern("atrium_edge_requests_seconds_count\\{route=\"observed\",status=\"4xx\"\\} [1-9]")
                .containsPattern("atrium_edge_requests_seconds_count\\{route=\"none\",status=\"4xx\"\\} [1-9]")
                .contains("atrium_edge_requests_seconds_bucket{route=\"observed\",status=\"2xx\",le=")
                .containsPattern("atrium_edge_upstream_latency_seconds_count\\{cluster=\"echo\",route=\"observed\"\\} [1-9]")
                .containsPattern("atrium_policy_auth_authenticated_total\\{enforced=\"true\",route=\"observed\"\\} [1-9]")
                .containsPattern("atrium_policy_auth_missing_credentials_total\\{enforced=\"true\",route=\"observed\"\\} [1-9]")
                .contains("atrium_edge_exchanges_active ")
                .contains("atrium_edge_cluster_endpoints{cluster=\"echo\"} 1.0")
                .contains("atrium_edge_upstream_connections_opened_total ");
    }

    @Test
    void traceparentIsContinuedOrStarted() throws Exception {
        String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        send("/observed/t", KEY, incoming);
        String forwarded = upstream.takeRequest().header("traceparent");
        assertThat(forwarded).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01").hasSize(55)
                .isNotEqualTo(incoming);

        send("/observed/t", KEY, "garbage");
        String started = upstream.takeRequest().header("traceparent");
        assertThat(started).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00").doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void everyExchangeWritesOneStructuredAccessLogLineWithoutSecrets() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<String> lines;
        try {
            send("/observed/logged?token=secret-query", KEY, null);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            lines = accessLines(captured);
            while (lines.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling for the asynchronous writer's line, not waiting for time to pass
                lines = accessLines(captured);
            }
        } finally {
            System.setOut(original);
        }
        upstream.takeRequest();

        assertThat(lines).hasSize(1);
        String line = lines.getFirst();
        assertThat(line).contains("\"route\":\"observed\"", "\"method\":\"GET\"", "\"path\":\"\\/observed\\/logged\"", "\"status\":\"200\"",
                        "\"consumer\":\"metrics-app\"", "\"upstream\":\"127.0.0.1:" + upstream.port() + "\"", "\"protocol\":\"HTTP\\/1.1\"",
                        "request_id", "trace_id", "duration_ms", "upstream_ms", "bytes_in", "bytes_out")
                .doesNotContain(KEY).doesNotContain("secret-query");
    }

    private static List<String> accessLines(ByteArrayOutputStream captured) {
        return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(l -> l.contains("\"loggerName\":\"io.atrium.edge.access\"") && l.contains("observed\\/logged"))
                .toList();
    }

    private static HttpResponse<String> send(String path, String key, String traceparent) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge.url() + path)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
