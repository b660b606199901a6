package io.atrium.edge.proxy.internal;

import io.atrium.edge.observe.AccessLog;
import io.atrium.edge.observe.EdgeMetrics;

/**
 * The last phase of a client exchange: what is recorded of it (its timer, its spans, its access-log line), read from
 * the connection's exchange state when the exchange ends.
 */
final class ExchangeRecord {
    private ExchangeRecord() {
    }

    /** Records the ending exchange: its timer, and its access-log line (enqueued; written by another thread). */
    static void observe(ClientConnection c) {
        long duration = System.nanoTime() - c.startNanos;
        (c.route != null ? c.route.meters() : c.dataPath.noRouteMeters()).exchange(c.status, duration);
        io.atrium.edge.observe.EdgeTracing tracing = c.dataPath.tracing();
        if (tracing != null) {
            if (c.spans == null) { // refused or answered before any upstream call
                c.spans = startSpans(c, tracing);
            }
            c.spans.end(c.status);
            c.spans = null;
        }
        AccessLog log = c.dataPath.accessLog();
        if (log == null) {
            return;
        }
        log.log(new AccessLog.Entry(c.requestId, c.logs.traceId(),
                c.route != null ? c.route.name() : EdgeMetrics.NO_ROUTE, c.head.method().name(), ProblemResponses.pathOf(c.target), c.protocol,
                c.clientIp, c.status, duration, c.upstreamNanos, c.upstreamNanos >= 0 && c.pool != null ? c.pool.authority() : null,
                c.bodyBytesSeen, c.bytesOut, c.consumer));
    }

    /** The exchange's SERVER span, begun at its first byte, continuing the client's trace context. */
    static io.atrium.edge.observe.EdgeTracing.Exchange startSpans(ClientConnection c,
                                                                 io.atrium.edge.observe.EdgeTracing tracing) {
        io.netty.handler.codec.http.HttpHeaders headers = c.head.headers();
        return tracing.start(headers::get, c.startNanos, c.head.method().name(), c.route != null ? c.route.name() : EdgeMetrics.NO_ROUTE,
                ProblemResponses.pathOf(c.target), c.protocol, c.requestId);
    }
}
