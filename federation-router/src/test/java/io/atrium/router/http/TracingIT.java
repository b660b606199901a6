package io.atrium.router.http;

import io.atrium.policy.observability.OtlpReceiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry traces of the router over real HTTP, exported by the real SDK and OTLP exporter to a real OTLP/HTTP
 * receiver on loopback: the operation span continues the caller's trace, its phases and one CLIENT span per subgraph
 * fetch hang under it, and the subgraph receives the fetch span's context ({@code traceparent}) and the caller's
 * baggage. Routers share this JVM, each with its own SDK from its own {@code otel.*} properties.
 */
class TracingIT {
    /** What the subgraphs received: traceparent and baggage per call. */
    private static final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
    private static CannedSubgraphs subgraphs;
    private static OtlpReceiver receiver;
    private static RouterUnderTest traced;
    private static RouterUnderTest disabled;
    private static RouterUnderTest sampled;
    private static RouterUnderTest connectors;
    private static HttpServer rest;
    private static final List<String> restTraceparents = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        subgraphs = new CannedSubgraphs(List.of("a", "b"), (name, headers) -> calls.add(Map.of("subgraph", name,
                "traceparent", String.valueOf(headers.getFirst("traceparent")),
                "baggage", String.valueOf(headers.getFirst("baggage")))));
        var composed = (CompositionResult.Composed) Composer.compose(List.of(subgraph("a"), subgraph("b")));
        String config = """
                format_version: 1
                hot_reload: false
                subgraphs:
                  a: { url: "http://127.0.0.1:%1$d/a" }
                  b: { url: "http://127.0.0.1:%1$d/b" }
                """.formatted(subgraphs.port());
        Map<String, Object> otel = Map.of(
                "otel.exporter.otlp.endpoint", receiver.endpoint(),
                "otel.bsp.schedule.delay", "50",
                "otel.service.name", "router-under-test");
        traced = RouterUnderTest.start(RouterUnderTest.newDirectory(), composed.supergraphSdl(), config, otel);
        Map<String, Object> off = new HashMap<>(otel);
        off.put("otel.sdk.disabled", "true");
        disabled = RouterUnderTest.start(RouterUnderTest.newDirectory(), composed.supergraphSdl(), config, off);
        Map<String, Object> ratio = new HashMap<>(otel);
        ratio.put("otel.traces.sampler", "parentbased_traceidratio");
        ratio.put("otel.traces.sampler.arg", "0");
        sampled = RouterUnderTest.start(RouterUnderTest.newDirectory(), composed.supergraphSdl(), config, ratio);

        rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rest.createContext("/products", exchange -> {
            restTraceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
            io.atrium.router.connector.JsonReplies.reply(exchange, 200, Map.of("items", List.of(Map.of("id", "p1",
                    "name", "Pen", "price", Map.of("amount", 1.5, "currency", "EUR")))));
        });
        rest.start();
        String base = "http://127.0.0.1:" + rest.getAddress().getPort();
        Map<String, Object> fixture = new org.yaml.snakeyaml.Yaml().load(java.nio.file.Files.readString(
                java.nio.file.Path.of("src/test/resources/composition/equivalence/connectors-shop.yaml")));
        connectors = RouterUnderTest.start(RouterUnderTest.newDirectory(), (String) fixture.get("supergraph"), """
                format_version: 1
                connectors:
                  rest:
                    catalog: { sources: { api: { base_url: %1$s } }, config: { apiKey: k } }
                    people: { sources: { api: { base_url: %1$s } } }
                """.formatted(base), otel);
    }

    private static SubgraphSource subgraph(String name) {
        return new SubgraphSource(name, "http://" + name + ".invalid/graphql", """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                type Query { %s: String }
                """.formatted(name));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {traced, disabled, sampled, connectors, receiver}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort: the next one still closes
            }
        }
        if (subgraphs != null) {
            subgraphs.close();
        }
        if (rest != null) {
            rest.stop(0);
        }
    }

    @Test
    void theOperationSpanContinuesTheCallersTraceAndEachFetchIsAClientSpanTheSubgraphContinues() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        var response = traced.post("{\"query\":\"query Both { a b }\",\"operationName\":\"Both\"}",
                "traceparent", "00-" + trace + "-00f067aa0ba902b7-01", "baggage", "tenant=acme");
        assertThat(response.body()).isEqualTo("{\"data\":{\"a\":\"A\",\"b\":\"B\"}}");

        List<OtlpReceiver.Received> spans = receiver.await(trace, s -> s.size() >= 6);
        OtlpReceiver.Received operation = only(spans, "query");
        assertThat(operation.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(operation.parentId()).isEqualTo("00f067aa0ba902b7");
        assertThat(operation.service()).isEqualTo("router-under-test");
        assertThat(operation.attribute("graphql.operation.name")).isEqualTo("Both");
        assertThat(operation.attribute("graphql.operation.type")).isEqualTo("query");
        assertThat(operation.attribute("http.response.status_code")).isEqualTo("200");
        for (String phase : List.of("graphql.parse_validate", "graphql.plan", "graphql.execute")) {
            assertThat(only(spans, phase).parentId()).as(phase).isEqualTo(operation.spanId());
        }
        OtlpReceiver.Received execute = only(spans, "graphql.execute");
        for (String subgraph : List.of("a", "b")) {
            OtlpReceiver.Received fetch = only(spans, "fetch " + subgraph);
            assertThat(fetch.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
            assertThat(fetch.parentId()).isEqualTo(execute.spanId());
            assertThat(fetch.attribute("atrium.subgraph.name")).isEqualTo(subgraph);
            assertThat(fetch.attribute("http.response.status_code")).isEqualTo("200");
            // what the subgraph received is the fetch span's own context, and the caller's baggage
            assertThat(callsOf(trace)).anySatisfy(call -> {
                assertThat(call).containsEntry("subgraph", subgraph)
                        .containsEntry("traceparent", "00-" + trace + "-" + fetch.spanId() + "-01");
                assertThat(call.get("baggage")).contains("tenant=acme");
            });
        }
        assertThat(callsOf(trace)).hasSize(2);
    }

    @Test
    void aRequestWithoutTraceparentStartsOneTraceForTheOperationAndItsFetches() throws Exception {
        int before = calls.size();
        assertThat(traced.post("{\"query\":\"{ a }\"}").statusCode()).isEqualTo(200);
        String traceparent = calls.get(before).get("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]"); // sampled (and maybe random, 02)
        String trace = traceparent.substring(3, 35);

        List<OtlpReceiver.Received> spans = receiver.await(trace, s -> s.size() >= 5);
        OtlpReceiver.Received operation = only(spans, "query");
        assertThat(operation.parentId()).isEmpty();
        assertThat(only(spans, "fetch a").spanId()).isEqualTo(traceparent.substring(36, 52));
    }

    @Test
    void theSamplerIsConfiguredByTheStandardPropertiesAndAnUnsampledTraceStillPropagates() throws Exception {
        // ratio 0: a trace started here is not sampled (flags 00 to the subgraph) and not exported ...
        int before = calls.size();
        assertThat(sampled.post("{\"query\":\"{ a }\"}").statusCode()).isEqualTo(200);
        String unsampled = calls.get(before).get("traceparent");
        assertThat(unsampled).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]"); // not sampled (maybe random, 02)
        // ... while a caller's sampled trace is (parent-based)
        String trace = "0af7651916cd43dd8448eb211c80319c";
        sampled.post("{\"query\":\"{ b }\"}", "traceparent", "00-" + trace + "-b7ad6b7169203331-01");
        receiver.await(trace, s -> s.size() >= 5);
        assertThat(receiver.trace(unsampled.substring(3, 35))).isEmpty();
    }

    @Test
    void aDisabledSdkBuildsNoTracingAndExportsNothingButTheTraceStillContinues() throws Exception {
        assertThat(disabled.bean(GraphQLEndpoint.class).tracing().enabled()).isFalse();
        assertThat(traced.bean(GraphQLEndpoint.class).tracing().enabled()).isTrue();
        String off = "11111111111111111111111111111111";
        disabled.post("{\"query\":\"{ a }\"}", "traceparent", "00-" + off + "-2222222222222222-01");
        assertThat(callsOf(off)).singleElement().satisfies(call ->
                assertThat(call.get("traceparent")).matches("00-" + off + "-[0-9a-f]{16}-01")
                        .doesNotContain("2222222222222222"));
        // the traced router's later spans arriving bound the wait: the disabled one's would have come with them
        String on = "33333333333333333333333333333333";
        traced.post("{\"query\":\"{ a }\"}", "traceparent", "00-" + on + "-4444444444444444-01");
        receiver.await(on, s -> s.size() >= 5);
        assertThat(receiver.trace(off)).isEmpty();
    }

    @Test
    void aConnectorsBackendCallIsAClientSpanUnderItsFetchAndTheBackendContinuesIt() throws Exception {
        String trace = "5ce0e9a56015fec5aadfa328ae398115";
        var response = connectors.post("{\"query\":\"{ products(limit: 1) { id name } }\"}",
                "traceparent", "00-" + trace + "-ab42124a3c573678-01");
        assertThat(response.body()).isEqualTo("{\"data\":{\"products\":[{\"id\":\"p1\",\"name\":\"Pen\"}]}}");

        List<OtlpReceiver.Received> spans = receiver.await(trace,
                s -> s.stream().anyMatch(span -> span.name().startsWith("call ")) && s.size() >= 6);
        OtlpReceiver.Received fetch = only(spans, "fetch catalog");
        assertThat(fetch.attribute("atrium.subgraph.transport")).isEqualTo("connector");
        OtlpReceiver.Received call = spans.stream().filter(span -> span.name().startsWith("call ")).findFirst().orElseThrow();
        assertThat(call.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(call.parentId()).isEqualTo(fetch.spanId());
        assertThat(call.attribute("atrium.subgraph.name")).isEqualTo("catalog");
        assertThat(call.attribute("atrium.connector.coordinate")).startsWith("catalog:Query.products@connect");
        assertThat(call.attribute("http.response.status_code")).isEqualTo("200");
        assertThat(call.attribute("atrium.connector.attempts")).isEqualTo("1");
        // the REST backend continues the trace from the call's span
        assertThat(restTraceparents).contains("00-" + trace + "-" + call.spanId() + "-01");
    }

    private static OtlpReceiver.Received only(List<OtlpReceiver.Received> spans, String name) {
        List<OtlpReceiver.Received> named = spans.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).as("spans named " + name + " in " + spans).hasSize(1);
        return named.getFirst();
    }

    private static List<Map<String, String>> callsOf(String trace) {
        return calls.stream().filter(call -> call.get("traceparent").contains("-" + trace + "-")).toList();
    }
}
