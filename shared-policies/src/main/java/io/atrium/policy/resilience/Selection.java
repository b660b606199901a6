package io.atrium.policy.resilience;

/**
 * Where the next attempt of a request goes. Closed: an endpoint was chosen, or the cluster's circuit breaker refused
 * the attempt. The {@link Selected} instances are allocated once per endpoint, so picking allocates nothing.
 */
public sealed interface Selection {

    /**
     * Send the attempt to {@code endpoint}.
     *
     * @param panic true when no endpoint was available (all unhealthy or ejected) and the balancer chose among all of
     *              them, like Envoy's panic mode; the edge should count and log it
     */
    record Selected(ClusterEndpoint endpoint, boolean panic) implements Selection {
    }

    /** The circuit breaker is open (or half-open with every probe call taken): answer 503 with {@code Retry-After}. */
    record CircuitOpen(long retryAfterSeconds) implements Selection {
    }
}
