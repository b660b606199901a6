package io.atrium.router.connector;

import io.atrium.graphql.cache.CacheControlMerge;
import java.time.Duration;
import java.util.Map;

/**
 * What every backend call of one subgraph request shares.
 *
 * @param subgraph      the connector subgraph's name
 * @param headers       the request headers the router's header rules give this subgraph (lower-case names); the
 *                      client headers a connector may read ({@code $request.headers}) come through these rules
 * @param deadlineNanos {@link System#nanoTime()} by which the whole subgraph fetch must be answered
 * @param cachePolicy   every backend call's caching policy merged (a REST call adds its {@code Cache-Control}, a gRPC
 *                      call, which has none, its configured policy or "not cacheable"): the subgraph response's
 *                      {@code Cache-Control}
 * @param spans         with tracing on, the subgraph fetch's spans: each backend call is a span under them; else null
 */
public record CallContext(String subgraph, Map<String, String> headers, long deadlineNanos,
                          CacheControlMerge.Accumulator cachePolicy, io.atrium.router.observe.OperationSpans spans) {

    public CallContext {
        headers = Map.copyOf(headers);
    }

    public CallContext(String subgraph, Map<String, String> headers, long deadlineNanos) {
        this(subgraph, headers, deadlineNanos, null);
    }

    public CallContext(String subgraph, Map<String, String> headers, long deadlineNanos,
                       io.atrium.router.observe.OperationSpans spans) {
        this(subgraph, headers, deadlineNanos, new CacheControlMerge.Accumulator(), spans);
    }

    /** The subgraph response's {@code Cache-Control}: the calls' merged, null when no backend was called. */
    public String cacheControl() {
        return cachePolicy.isEmpty() ? null : cachePolicy.header(false);
    }

    /** What is left of the subgraph fetch's time (zero when it is used up). */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
