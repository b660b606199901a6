package io.atrium.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.policy.observability.OtlpReceiver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The trace of a request in every line logged while the edge handles it, not only in its access line: an upstream
 * failure's warning (here an outlier-detection line) names the request's trace in the JSON line's {@code mdc}, and the
 * next request on the same connection (same event loop) never inherits it.
 */
class LogTraceIT {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";
    private static final Pattern MDC_TRACE = Pattern.compile("\"mdc\": ?\\{[^}]*\"trace_id\":\"([0-9a-f]{32})\"");
    private static final Pattern MDC_SPAN = Pattern.compile("\"mdc\": ?\\{[^}]*\"span_id\":\"([0-9a-f]{16})\"");
    private static final Pattern ACCESS_TRACE = Pattern.compile("\"trace_id\":\"([0-9a-f]{32})\"");

    /** Two clusters with one dead endpoint each: every first connect failure logs a line of its own. */
    private static String config() throws IOException {
        return """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                clusters:
                  down_a:
                    endpoints: [ "http://127.0.0.1:%d" ]
                    outlier_detection: { consecutive_connect_failures: 1 }
                  down_b:
                    endpoints: [ "http://127.0.0.1:%d" ]
                    outlier_detection: { consecutive_connect_failures: 1 }
                routes:
                  - { name: a, match: { path_prefix: /a }, cluster: down_a, auth: { public: true } }
                  - { name: b, match: { path_prefix: /b }, cluster: down_b, auth: { public: true } }
                """.formatted(deadPort(), deadPort());
    }

    @Test
    void anUpstreamFailureLineCarriesItsRequestsTraceAndTheNextRequestsLineDoesNot() throws Exception {
        List<String> lines;
        try (Capture out = new Capture(); Edge edge = Edge.start(config());
             RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /a/1 HTTP/1.1\r\nHost: x\r\ntraceparent: " + TRACEPARENT + "\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(502);
            client.send("GET /b/1 HTTP/1.1\r\nHost: x\r\n\r\n"); // same connection, no traceparent
            assertThat(client.read().status()).isEqualTo(502);
            lines = out.await(all -> line(all, "cluster=down_b") != null && line(all, "\"route\":\"b\"") != null);
        }
        String failureA = line(lines, "cluster=down_a");
        assertThat(failureA).as("the first request's upstream failure").isNotNull();
        assertThat(group(MDC_TRACE, failureA)).isEqualTo(TRACE);
        assertThat(failureA).doesNotContain("span_id"); // tracing is off: no span

        // The edge starts a trace for the second request (its access line's); its line names that one, not the first.
        String failureB = line(lines, "cluster=down_b");
        String accessB = line(lines, "\"route\":\"b\"");
        assertThat(group(MDC_TRACE, failureB)).isNotEqualTo(TRACE).isEqualTo(group(ACCESS_TRACE, accessB));
        // Lines logged outside any request (the edge's start) carry no trace at all.
        assertThat(line(lines, "edge_started")).isNotNull().doesNotContain("trace_id");
    }

    @Test
    void withTracingOnTheLineAlsoNamesTheEdgesServerSpan() throws Exception {
        List<String> lines;
        try (OtlpReceiver receiver = new OtlpReceiver(); Capture out = new Capture();
             Edge edge = Edge.start(config(), Map.of("otel.exporter.otlp.endpoint", receiver.endpoint(),
                     "otel.bsp.schedule.delay", "50"));
             RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /a/1 HTTP/1.1\r\nHost: x\r\ntraceparent: " + TRACEPARENT + "\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(502);
            lines = out.await(all -> line(all, "cluster=down_a") != null);
            String serverSpan = receiver.await(TRACE, spans -> spans.stream()
                            .anyMatch(s -> s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER))
                    .stream().filter(s -> s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
                    .findFirst().orElseThrow().spanId();
            String failure = line(lines, "cluster=down_a");
            assertThat(group(MDC_TRACE, failure)).isEqualTo(TRACE);
            assertThat(group(MDC_SPAN, failure)).isEqualTo(serverSpan);
        }
    }

    private static String line(List<String> lines, String containing) {
        return lines.stream().filter(l -> l.contains(containing)).findFirst().orElse(null);
    }

    private static String group(Pattern pattern, String line) {
        assertThat(line).isNotNull();
        Matcher m = pattern.matcher(line);
        assertThat(m.find()).as("%s in %s", pattern, line).isTrue();
        return m.group(1);
    }

    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again: connections to it are refused
        }
    }

    /** Standard output (where the shared logback config writes its JSON lines) while open. */
    private static final class Capture implements AutoCloseable {
        private final PrintStream original = System.out;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Capture() {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        }

        List<String> lines() {
            synchronized (bytes) {
                return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n"));
            }
        }

        /** The lines once {@code until} holds for them (the access log is written by a background thread). */
        List<String> await(Predicate<List<String>> until) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<String> lines = lines();
            while (!until.test(lines) && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling for the writer's lines, not waiting for time to pass
                lines = lines();
            }
            return lines;
        }

        @Override
        public void close() {
            System.setOut(original);
        }
    }
}
