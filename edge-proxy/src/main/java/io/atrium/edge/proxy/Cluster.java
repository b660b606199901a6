package io.atrium.edge.proxy;

import io.atrium.edge.config.Endpoint;

import io.atrium.policy.resilience.UpstreamCluster;

import java.util.List;

/**
 * A cluster resolved for the data path.
 *
 * @param index position in {@link RouteTable#clusters()}, used to find per-thread connection pools without lookups by name
 * @param connectTimeoutMillis TCP connect limit
 * @param responseTimeoutNanos time allowed from the end of the client request to the upstream response head
 * @param maxConnections open connections allowed per endpoint (busy plus idle)
 * @param resilience the cluster's live resilience state (load balancer, health, outlier ejection, circuit breaker,
 *     retries), shared by every I/O thread; its endpoints are in the order of {@code endpoints}
 */
public record Cluster(int index, String name, List<Endpoint> endpoints, int connectTimeoutMillis, long responseTimeoutNanos, int maxConnections,
                      UpstreamCluster resilience) {

    public Cluster {
        endpoints = List.copyOf(endpoints);
    }
}
