package io.atrium.edge.proxy;

import io.atrium.edge.config.Endpoint;

import java.util.List;

/**
 * A cluster resolved for the data path.
 *
 * @param index position in {@link RouteTable#clusters()}, used to find per-thread connection pools without lookups by name
 * @param connectTimeoutMillis TCP connect limit
 * @param responseTimeoutNanos time allowed from the end of the client request to the upstream response head
 * @param maxConnections open connections allowed per endpoint (busy plus idle)
 */
public record Cluster(int index, String name, List<Endpoint> endpoints, int connectTimeoutMillis, long responseTimeoutNanos, int maxConnections) {

    public Cluster {
        endpoints = List.copyOf(endpoints);
    }
}
