package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The router's observability over real HTTP (item 9 of issue 10): the caller's W3C trace continued to every subgraph
 * call with a new span id each, Prometheus metrics scraped from the admin listener, and one JSON log line per
 * operation without variable values.
 */
class ObservabilityIT {
    private static final List<String> traceparents = new CopyOnWriteArrayList<>();
    private static CannedSubgraphs subgraphs;
    private static RouterUnderTest router;
    /** Appended to on the log writer's thread, read by the test: guarded by itself. */
    private static final ListAppender<ILoggingEvent> operations = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            synchronized (this) {
                super.append(event);
            }
        }
    };

    @BeforeAll
    static void start() throws Exception {
        subgraphs = new CannedSubgraphs(List.of("a", "b"),
                (name, headers) -> traceparents.add(String.valueOf(headers.getFirst("traceparent"))));
        var composed = (CompositionResult.Composed) Composer.compose(List.of(subgraph("a"), subgraph("b")));
        int port = subgraphs.port();
        router = RouterUnderTest.start(RouterUnderTest.newDirectory(), composed.supergraphSdl(), """
                format_version: 1
                hot_reload: false
                limits: { max_depth: 3 }
                subgraphs:
                  a: { url: "http://127.0.0.1:%1$d/a" }
                  b: { url: "http://127.0.0.1:%1$d/b" }
                """.formatted(port));
        operations.start();
        ((Logger) LoggerFactory.getLogger("io.atrium.router.operations")).addAppender(operations);
    }

    private static SubgraphSource subgraph(String name) {
        return new SubgraphSource(name, "http://" + name + ".invalid/graphql", """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                type Query { %s(secret: String): String }
                """.formatted(name));
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger("io.atrium.router.operations")).detachAppender(operations);
        router.close();
        subgraphs.close();
    }

    @Test
    void theCallersTraceContinuesToEverySubgraphCallWithANewSpanEach() throws Exception {
        traceparents.clear();
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        var response = router.post("{\"query\":\"{ a b }\"}", "traceparent", "00-" + trace + "-00f067aa0ba902b7-01");
        assertThat(response.body()).isEqualTo("{\"data\":{\"a\":\"A\",\"b\":\"B\"}}");
        assertThat(traceparents).hasSize(2).allSatisfy(header ->
                assertThat(header).matches("00-" + trace + "-[0-9a-f]{16}-01").doesNotContain("00f067aa0ba902b7"));
        assertThat(traceparents.get(0)).isNotEqualTo(traceparents.get(1));

        traceparents.clear();
        router.post("{\"query\":\"{ a b }\"}", "traceparent", "not-a-trace");
        assertThat(traceparents).hasSize(2);
        String started = traceparents.get(0).substring(3, 35);
        assertThat(traceparents.get(0)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
        assertThat(traceparents.get(1)).startsWith("00-" + started + "-"); // one new trace for the whole request
    }

    @Test
    void metricsAreScrapedFromTheAdminListener() throws Exception {
        router.post("{\"query\":\"query Both { a b }\",\"operationName\":\"Both\"}",
                "apollographql-client-name", "web", "apollographql-client-version", "1.2");
        router.post("{\"query\":\"query Both { a b }\",\"operationName\":\"Both\"}",
                "apollographql-client-name", "web", "apollographql-client-version", "1.2");
        var refused = router.post("{\"query\":\"{ __schema { types { fields { type { name } } } } }\"}");
        assertThat(refused.statusCode()).isEqualTo(400);

        String metrics = router.scrapeMetrics();
        assertThat(metrics)
                .containsPattern("atrium_router_requests_seconds_count\\{client=\"web\",operation=\"Both\",outcome=\"success\"} [2-9]")
                .containsPattern("atrium_router_requests_seconds_count\\{client=\"none\",operation=\"none\",outcome=\"refused\"} [1-9]")
                .containsPattern("atrium_router_refusals_total\\{reason=\"limits\"} [1-9]")
                .containsPattern("atrium_router_cache_total\\{cache=\"plan\",result=\"hit\"} [1-9]")
                .containsPattern("atrium_router_cache_total\\{cache=\"plan\",result=\"miss\"} [1-9]")
                .containsPattern("atrium_router_cache_total\\{cache=\"document\",result=\"hit\"} [1-9]")
                .containsPattern("atrium_router_plan_duration_seconds_count [1-9]")
                .containsPattern("atrium_router_execution_duration_seconds_count [1-9]")
                .containsPattern("atrium_router_subgraph_fetches_seconds_count\\{outcome=\"ok\",subgraph=\"a\"} [1-9]")
                .containsPattern("atrium_router_subgraph_circuit_state\\{subgraph=\"b\"} 0.0")
                .contains("atrium_graphql_limits_total"); // graphql-kit's counters are scraped too
    }

    @Test
    void everyOperationWritesOneStructuredLineWithoutVariableValues() throws Exception {
        synchronized (operations) {
            operations.list.clear();
        }
        router.post("{\"query\":\"query Secret($s: String) { a(secret: $s) }\",\"operationName\":\"Secret\","
                        + "\"variables\":{\"s\":\"hunter2\"}}",
                "apollographql-client-name", "ios", "apollographql-client-version", "7.0",
                "authorization", "Bearer top-secret-token", "traceparent", "00-" + LOGGED + "-00f067aa0ba902b7-01");
        router.post("{\"query\":\"{ nope }\"}", "traceparent", "00-" + LOGGED + "-00f067aa0ba902b8-01");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (lines().size() < 2) { // written off the event loop, within about 20 ms
            assertThat(System.nanoTime()).as("two operation lines").isLessThan(deadline);
            Thread.onSpinWait();
        }
        List<Map<String, Object>> lines = lines();
        assertThat(lines).hasSize(2);
        Map<String, Object> line = lines.get(0);
        assertThat(line.toString()).doesNotContain("hunter2").doesNotContain("top-secret-token").doesNotContain("$s");
        assertThat(line).containsEntry("operation_name", "Secret").containsEntry("client_name", "ios")
                .containsEntry("client_version", "7.0").containsEntry("status", 200).containsEntry("outcome", "success")
                .containsEntry("subgraph_calls", 1).containsEntry("error_codes", "");
        assertThat((String) line.get("operation_hash")).matches("[0-9a-f]{64}");
        assertThat(line).containsEntry("trace_id", LOGGED); // the caller's trace
        assertThat(((Number) line.get("duration_ms")).doubleValue()).isPositive();
        assertThat(lines.get(1)).containsEntry("outcome", "request_error")
                .containsEntry("error_codes", "GRAPHQL_VALIDATION_FAILED").doesNotContainKey("operation_name");
    }

    /** The trace of the logged requests: lines of other tests' requests, written late, are not theirs. */
    private static final String LOGGED = "0123456789abcdef0123456789abcdef";

    /** The logged requests' operation lines so far, as their key-value pairs (what the JSON encoder writes). */
    private static List<Map<String, Object>> lines() {
        synchronized (operations) {
            return operations.list.stream().map(event -> {
                Map<String, Object> pairs = new java.util.LinkedHashMap<>();
                event.getKeyValuePairs().forEach(pair -> pairs.put(pair.key, pair.value));
                return pairs;
            }).filter(pairs -> LOGGED.equals(pairs.get("trace_id"))).toList();
        }
    }
}
