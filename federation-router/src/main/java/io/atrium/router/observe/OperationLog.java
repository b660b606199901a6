package io.atrium.router.observe;

import io.atrium.graphql.trusted.Sha256;
import io.atrium.policy.log.BackgroundLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per GraphQL operation on the logger {@value #LOGGER} (INFO, the level of {@code io.atrium};
 * switch that logger off to drop them), written off the event loop by shared-policies' {@link BackgroundLog} (lines
 * the writer cannot keep up with are dropped and counted as {@code atrium.router.operation_log.dropped}). Key-value
 * pairs, which the shared JSON encoder writes as one JSON object per line: operation name and SHA-256 of the document
 * text, client name and version, trace id, HTTP status, outcome, duration, subgraph calls and error codes — never
 * variable values, document text or credentials.
 */
public final class OperationLog implements AutoCloseable {
    public static final String LOGGER = "io.atrium.router.operations";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** One operation; the document's hash is computed on the writer thread. */
    public record Entry(String operationName, String document, String clientName, String clientVersion, String traceId,
                        int status, String outcome, long durationNanos, int subgraphCalls, List<String> errorCodes) {
    }

    private final BackgroundLog<Entry> log;

    public OperationLog() {
        Counter dropped = Counter.builder("atrium.router.operation_log.dropped")
                .description("operation log lines dropped because the writer fell behind").register(Metrics.globalRegistry);
        this.log = new BackgroundLog<>("atrium-router-operation-log", 16_384, OperationLog::write, dropped::increment);
    }

    /** Enqueues the line when the logger is on; never blocks. */
    public void log(Entry entry) {
        if (LOG.isInfoEnabled()) {
            log.log(entry);
        }
    }

    private static void write(Entry e) {
        var line = LOG.atInfo();
        // absent values are left out rather than written as "null"
        if (e.operationName() != null) {
            line = line.addKeyValue("operation_name", e.operationName());
        }
        if (e.document() != null) {
            line = line.addKeyValue("operation_hash", Sha256.hex(e.document()));
        }
        if (e.clientName() != null) {
            line = line.addKeyValue("client_name", e.clientName());
        }
        if (e.clientVersion() != null) {
            line = line.addKeyValue("client_version", e.clientVersion());
        }
        line.addKeyValue("trace_id", e.traceId())
                .addKeyValue("status", e.status())
                .addKeyValue("outcome", e.outcome())
                .addKeyValue("duration_ms", Math.round(e.durationNanos() / 10_000.0) / 100.0)
                .addKeyValue("subgraph_calls", e.subgraphCalls())
                .addKeyValue("error_codes", String.join(",", e.errorCodes()))
                .log("graphql_operation");
    }

    @Override
    public void close() {
        log.close();
    }
}
