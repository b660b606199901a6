package io.atrium.router.config;

import io.atrium.policy.resilience.CircuitBreakerConfig;
import io.atrium.policy.resilience.ClusterResilienceConfig;
import io.atrium.policy.resilience.LoadBalancing;
import io.atrium.policy.resilience.OutlierDetectionConfig;
import io.atrium.policy.resilience.RetryConfig;
import java.util.Objects;

/**
 * How the router calls one subgraph's URLs: shared-policies' cluster resilience (load balancing, outlier detection,
 * circuit breaker, retries with backoff and a budget; read with the edge's key names) and the de-duplication of
 * identical queries in flight.
 *
 * @param cluster            the resilience components; {@link #DEFAULT}: round robin, outlier detection and a circuit
 *                           breaker with the library's defaults, two attempts for queries
 * @param deduplicateQueries identical queries in flight to the subgraph (same document, variables and forwarded
 *                           headers) share one request (default false)
 */
public record SubgraphResilience(ClusterResilienceConfig cluster, boolean deduplicateQueries) {

    public static final SubgraphResilience DEFAULT = new SubgraphResilience(new ClusterResilienceConfig(
            LoadBalancing.ROUND_ROBIN, null, OutlierDetectionConfig.DEFAULT, CircuitBreakerConfig.DEFAULT,
            RetryConfig.DEFAULT), false);

    public SubgraphResilience {
        Objects.requireNonNull(cluster, "cluster");
    }
}
