package io.atrium.edge.proxy.internal;

import io.atrium.policy.observability.LogTrace;

/**
 * The trace of a connection's current exchange in the lines logged while it is handled ({@link LogTrace}: the MDC's
 * {@code trace_id} and {@code span_id}): the client's valid {@code traceparent} at first, then the one sent upstream
 * (continued or started by the edge), with the SERVER span's id when tracing is on.
 *
 * <p>The connection enters this around each of its events that can log (client reads, upstream callbacks, timers, a
 * pending policy decision). The loop thread's MDC holds the trace only while one is being handled and is cleared on
 * leaving the outermost one, so no line of another connection's event, nor of this connection's next exchange, names
 * this trace. Without a trace id nothing is touched. Confined to the connection's event loop.
 */
final class ExchangeLogs {
    private String traceId;
    private String spanId;
    /** Events of the connection being handled (nested) on its loop; the MDC holds the trace while above 0. */
    private int depth;

    void enter() {
        if (depth++ == 0 && traceId != null) {
            LogTrace.set(traceId, spanId);
        }
    }

    void exit() {
        if (--depth == 0 && traceId != null) {
            LogTrace.set(null, null);
        }
    }

    /** The exchange's trace changed (a new exchange, the trace sent upstream, the exchange's end; null: none). */
    void trace(String traceId, String spanId) {
        if (depth > 0 && (traceId != null || this.traceId != null)) {
            LogTrace.set(traceId, spanId);
        }
        this.traceId = traceId;
        this.spanId = spanId;
    }

    /** The current exchange's trace id, or null. */
    String traceId() {
        return traceId;
    }
}
