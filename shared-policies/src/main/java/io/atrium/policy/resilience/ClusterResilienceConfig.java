package io.atrium.policy.resilience;

import java.util.Objects;

/**
 * Everything resilience-related of one cluster. A null component is switched off.
 *
 * @param loadBalancing the algorithm (default {@link LoadBalancing#ROUND_ROBIN})
 * @param healthCheck active health checking, or null (default) for none: endpoints are then always healthy
 * @param outlierDetection passive outlier detection, or null for none ({@link #DEFAULT} has {@link OutlierDetectionConfig#DEFAULT})
 * @param circuitBreaker the circuit breaker, or null (default) for none
 * @param retry retries (default {@link RetryConfig#DEFAULT}; {@link RetryConfig#NONE} for none)
 */
public record ClusterResilienceConfig(LoadBalancing loadBalancing, HealthCheckConfig healthCheck,
                                      OutlierDetectionConfig outlierDetection, CircuitBreakerConfig circuitBreaker,
                                      RetryConfig retry) {

    public static final ClusterResilienceConfig DEFAULT =
            new ClusterResilienceConfig(null, null, OutlierDetectionConfig.DEFAULT, null, RetryConfig.DEFAULT);

    public ClusterResilienceConfig {
        loadBalancing = Objects.requireNonNullElse(loadBalancing, LoadBalancing.ROUND_ROBIN);
        retry = Objects.requireNonNullElse(retry, RetryConfig.DEFAULT);
    }
}
