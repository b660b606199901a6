package io.atrium.router.connector;

/**
 * Where a backend call comes from, for resilience, metrics and logs.
 *
 * @param subgraph   the connector subgraph
 * @param backend    the backend the call goes to: its circuit breaker, retry budget and metrics are per
 *                   {@code subgraph} and {@code backend} (a REST {@code @source} name or base URL, a gRPC service)
 * @param coordinate the connector's coordinate as Apollo writes it, e.g. {@code orders:Query.orders@connect[0]}
 *                   (gRPC: {@code payments:Query.payment@grpc}); a metric tag, so bounded by the schema
 */
public record CallSite(String subgraph, String backend, String coordinate) {
}
