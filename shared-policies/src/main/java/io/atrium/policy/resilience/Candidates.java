package io.atrium.policy.resilience;

import java.util.List;

/**
 * An immutable snapshot of the endpoints a {@link LoadBalancer} chooses from: the available ones, or all of them in
 * panic mode. Rebuilt only when an endpoint's availability changes, never per request.
 */
public final class Candidates {

    private final ClusterEndpoint[] endpoints;

    Candidates(List<ClusterEndpoint> endpoints) {
        this.endpoints = endpoints.toArray(ClusterEndpoint[]::new);
    }

    public int size() {
        return endpoints.length;
    }

    public ClusterEndpoint get(int index) {
        return endpoints[index];
    }

    public List<ClusterEndpoint> asList() {
        return List.of(endpoints);
    }
}
