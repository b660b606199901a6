package io.atrium.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.TestUpstream;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import io.atrium.policy.observability.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry spans of the edge, exported over OTLP/HTTP to a real receiver: a SERVER span per request continuing
 * the client's trace context, a CLIENT span for the upstream call whose context is the traceparent the upstream
 * receives; a refused request gets its SERVER span alone.
 */
class TracingIT {
    private static final String KEY = "tracing-key-0123456789abcdef";
    private static OtlpReceiver receiver;
    private static TestUpstream upstream;
    private static Edge edge;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        upstream = new TestUpstream();
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                auth:
                  api_keys:
                    consumers: [ { name: traced-app, key_sha256: "%s" } ]
                clusters:
                  echo:
                    endpoints: [ "%s" ]
                routes:
                  - name: traced
                    match: { path_prefix: /traced }
                    cluster: echo
                """.formatted(ApiKeyAuthenticator.digestHex(KEY), upstream.url()),
                Map.of("otel.exporter.otlp.endpoint", receiver.endpoint(), "otel.bsp.schedule.delay", "50",
                        "otel.service.name", "edge-under-test"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (edge != null) {
            edge.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (http != null) {
            http.close();
        }
    }

    private static HttpResponse<String> get(String path, String traceparent, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path))
                .header("traceparent", traceparent).timeout(Duration.ofSeconds(10));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aProxiedRequestHasAServerSpanAndAnUpstreamSpanWhoseContextTheUpstreamReceives() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";
        assertThat(get("/traced/a", "00-" + traceId + "-" + clientSpan + "-01", KEY).statusCode()).isEqualTo(200);
        String forwarded = upstream.takeRequest().header("traceparent");
        assertThat(forwarded).startsWith("00-" + traceId + "-").endsWith("-01");
        String upstreamSpanId = forwarded.substring(36, 52);

        List<OtlpReceiver.Received> trace = receiver.await(traceId, spans -> spans.size() >= 2);
        OtlpReceiver.Received server = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
        OtlpReceiver.Received client = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_CLIENT).findFirst().orElseThrow();
        assertThat(server.service()).isEqualTo("edge-under-test");
        assertThat(server.name()).isEqualTo("GET traced");
        assertThat(server.parentId()).isEqualTo(clientSpan);
        assertThat(server.attribute("http.response.status_code")).isEqualTo("200");
        assertThat(server.attribute("http.route")).isEqualTo("traced");
        assertThat(client.name()).isEqualTo("upstream echo");
        assertThat(client.parentId()).isEqualTo(server.spanId());
        assertThat(client.spanId()).isEqualTo(upstreamSpanId);
        assertThat(server.span().getEndTimeUnixNano()).isGreaterThanOrEqualTo(client.span().getEndTimeUnixNano());
        assertThat(server.span().getStartTimeUnixNano()).isLessThanOrEqualTo(client.span().getStartTimeUnixNano());
    }

    @Test
    void aRefusedRequestHasItsServerSpanAloneAndNothingGoesUpstream() throws Exception {
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
        upstream.clear();
        assertThat(get("/traced/b", "00-" + traceId + "-00f067aa0ba902b8-01", null).statusCode()).isEqualTo(401);
        List<OtlpReceiver.Received> trace = receiver.await(traceId, spans -> !spans.isEmpty());
        assertThat(trace).hasSize(1);
        assertThat(trace.getFirst().kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(trace.getFirst().attribute("http.response.status_code")).isEqualTo("401");
        assertThat(upstream.pollRequest()).isNull();
    }
}
