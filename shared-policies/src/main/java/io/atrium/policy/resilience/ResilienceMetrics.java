package io.atrium.policy.resilience;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters of one cluster's resilience components, as a {@link ResilienceListener}. Per-request events hit counters
 * registered up front; state changes (rare) look theirs up by tag. Meters (tags: {@code cluster}, and
 * {@code endpoint}, {@code state}, {@code reason} where named):
 * <ul>
 *   <li>{@code atrium.health_check.transitions} {endpoint, state}: an endpoint became healthy/unhealthy</li>
 *   <li>{@code atrium.outlier.ejections} {endpoint, reason}; {@code atrium.outlier.ejections_capped} {endpoint, reason};
 *       {@code atrium.outlier.returns} {endpoint}</li>
 *   <li>{@code atrium.circuit_breaker.transitions} {state}: the state entered; {@code atrium.circuit_breaker.rejected}</li>
 *   <li>{@code atrium.load_balancer.panic}: picks made among all endpoints because none was available</li>
 *   <li>{@code atrium.retry.attempts}: retries granted; {@code atrium.retry.denied} {reason}: budget, attempts, total timeout</li>
 * </ul>
 */
public final class ResilienceMetrics implements ResilienceListener {

    private final MeterRegistry registry;
    private final String cluster;
    private final Counter rejected;
    private final Counter panic;
    private final Counter retries;
    private final Map<RetryDecision.Reason, Counter> denied = new EnumMap<>(RetryDecision.Reason.class);
    private final Map<String, Counter> byTags = new ConcurrentHashMap<>();

    public ResilienceMetrics(MeterRegistry registry, String cluster) {
        this.registry = registry;
        this.cluster = cluster;
        this.rejected = Counter.builder("atrium.circuit_breaker.rejected").tag("cluster", cluster).register(registry);
        this.panic = Counter.builder("atrium.load_balancer.panic").tag("cluster", cluster).register(registry);
        this.retries = Counter.builder("atrium.retry.attempts").tag("cluster", cluster).register(registry);
        for (RetryDecision.Reason reason : RetryDecision.Reason.values()) {
            if (reason.denied()) {
                denied.put(reason, Counter.builder("atrium.retry.denied").tag("cluster", cluster)
                        .tag("reason", lower(reason)).register(registry));
            }
        }
    }

    @Override
    public void onEvent(ResilienceEvent event) {
        switch (event) {
            case ResilienceEvent.CircuitRejected e -> rejected.increment();
            case ResilienceEvent.PanicRouted e -> panic.increment();
            case ResilienceEvent.RetryAttempted e -> retries.increment();
            case ResilienceEvent.RetryDenied e -> {
                Counter counter = denied.get(e.reason());
                if (counter != null) {
                    counter.increment();
                }
            }
            case ResilienceEvent.HealthChanged e -> count("atrium.health_check.transitions", "endpoint", e.endpoint(), "state", lower(e.to()));
            case ResilienceEvent.EndpointEjected e -> count("atrium.outlier.ejections", "endpoint", e.endpoint(), "reason", lower(e.reason()));
            case ResilienceEvent.EjectionCapped e -> count("atrium.outlier.ejections_capped", "endpoint", e.endpoint(), "reason", lower(e.reason()));
            case ResilienceEvent.EndpointReturned e -> count("atrium.outlier.returns", "endpoint", e.endpoint(), null, null);
            case ResilienceEvent.CircuitTransition e -> count("atrium.circuit_breaker.transitions", "state", lower(e.to()), null, null);
        }
    }

    private void count(String name, String tag1, String value1, String tag2, String value2) {
        String key = name + '\n' + value1 + '\n' + value2;
        byTags.computeIfAbsent(key, k -> {
            Counter.Builder builder = Counter.builder(name).tag("cluster", cluster).tag(tag1, value1);
            if (tag2 != null) {
                builder.tag(tag2, value2);
            }
            return builder.register(registry);
        }).increment();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }
}
