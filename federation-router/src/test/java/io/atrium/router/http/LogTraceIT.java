package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The trace of a GraphQL request in every line the router logs for it: a subgraph failure's warning (an
 * outlier-detection line, logged on the subgraph connection's thread when the fetch fails) names the request's trace
 * like its operation line does, and the next request's line names its own trace, never the previous one's.
 */
class LogTraceIT {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    /** A line and the MDC it was logged with (read when logged: the event reads the MDC lazily). */
    private record Line(String logger, String message, Map<String, String> mdc, Map<String, Object> pairs) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            Map<String, Object> pairs = new java.util.HashMap<>();
            if (event.getKeyValuePairs() != null) {
                event.getKeyValuePairs().forEach(p -> pairs.put(p.key, p.value));
            }
            lines.add(new Line(event.getLoggerName(), event.getFormattedMessage(), Map.copyOf(event.getMDCPropertyMap()),
                    pairs));
        }
    };

    private static SubgraphSource subgraph(String name) {
        return new SubgraphSource(name, "http://" + name + ".invalid/graphql", """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                type Query { %s: String }
                """.formatted(name));
    }

    @Test
    void aSubgraphFailureLineCarriesItsRequestsTraceAndTheNextRequestsLineItsOwn() throws Exception {
        var composed = (CompositionResult.Composed) Composer.compose(List.of(subgraph("a"), subgraph("b")));
        int portA = deadPort();
        int portB = deadPort();
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("io.atrium.policy.resilience.ResilienceLog"),
                (Logger) LoggerFactory.getLogger("io.atrium.router.operations"));
        capture.start();
        loggers.forEach(logger -> logger.addAppender(capture));
        try (RouterUnderTest router = RouterUnderTest.start(RouterUnderTest.newDirectory(), composed.supergraphSdl(), """
                format_version: 1
                hot_reload: false
                subgraphs:
                  a: { url: "http://127.0.0.1:%d/graphql", outlier_detection: { consecutive_connect_failures: 1 } }
                  b: { url: "http://127.0.0.1:%d/graphql", outlier_detection: { consecutive_connect_failures: 1 } }
                """.formatted(portA, portB))) {
            router.post(RouterUnderTest.queryBody("{ a }"), "traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01");
            router.post(RouterUnderTest.queryBody("{ b }")); // no traceparent: the router starts a trace
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (operationLine(1) == null || failureLine(portB) == null) { // operation lines: an off-loop writer
                assertThat(System.nanoTime()).as("the lines of both requests").isLessThan(deadline);
                Thread.sleep(10);
            }
        } finally {
            loggers.forEach(logger -> logger.detachAppender(capture));
        }
        assertThat(failureLine(portA).mdc()).containsEntry("trace_id", TRACE).doesNotContainKey("span_id");
        assertThat(operationLine(0).pairs()).containsEntry("trace_id", TRACE);

        String second = String.valueOf(operationLine(1).pairs().get("trace_id"));
        assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
        assertThat(failureLine(portB).mdc()).containsEntry("trace_id", second);
    }

    /** The outlier-detection line of the subgraph URL on {@code port}. */
    private Line failureLine(int port) {
        return lines.stream().filter(l -> l.logger().endsWith("ResilienceLog") && l.message().contains(":" + port + "/"))
                .findFirst().orElse(null);
    }

    /** The {@code index}-th operation line (one writer thread writes them in the order the requests ended). */
    private Line operationLine(int index) {
        List<Line> operations = lines.stream().filter(l -> l.logger().equals("io.atrium.router.operations")).toList();
        return operations.size() > index ? operations.get(index) : null;
    }

    private static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again: connections to it are refused
        }
    }
}
