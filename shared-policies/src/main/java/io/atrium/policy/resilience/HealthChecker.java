package io.atrium.policy.resilience;

import java.util.function.LongSupplier;

/**
 * The active health-checking state machine of one cluster. The edge asks when to probe an endpoint, sends
 * {@code GET path} with the configured timeout, and reports the result; the checker moves the endpoint between
 * {@link HealthState#HEALTHY} and {@link HealthState#UNHEALTHY} after the configured number of consecutive results.
 *
 * <p>Endpoints start healthy, so a cluster takes traffic at start-up before the first probe; a dead endpoint leaves
 * rotation after {@code unhealthyThreshold} probes (and earlier through outlier detection). Thread-safe; probes are
 * off the request path, so the bookkeeping takes a lock.
 */
public final class HealthChecker {

    private final String cluster;
    private final HealthCheckConfig config;
    private final EndpointSet endpoints;
    private final LongSupplier nanoClock;
    private final ResilienceListener listener;

    HealthChecker(String cluster, HealthCheckConfig config, EndpointSet endpoints, LongSupplier nanoClock, ResilienceListener listener) {
        this.cluster = cluster;
        this.config = config;
        this.endpoints = endpoints;
        this.nanoClock = nanoClock;
        this.listener = listener;
        long now = nanoClock.getAsLong();
        for (ClusterEndpoint endpoint : endpoints.all()) {
            endpoint.nextProbeAtNanos = now;
        }
    }

    public HealthCheckConfig config() {
        return config;
    }

    /** Nanoseconds until {@code endpoint} should be probed next; 0 when a probe is due now. */
    public synchronized long nanosUntilProbe(ClusterEndpoint endpoint) {
        return Math.max(0, endpoint.nextProbeAtNanos - nanoClock.getAsLong());
    }

    /**
     * Records a probe's result and schedules the next probe ({@code interval} or {@code unhealthyInterval} from now).
     *
     * @return the endpoint's state after the result
     */
    public HealthState report(ClusterEndpoint endpoint, ProbeResult result) {
        HealthState before;
        HealthState after;
        synchronized (this) {
            before = endpoint.health();
            after = before;
            if (result == ProbeResult.SUCCESS) {
                endpoint.consecutiveProbeFailures = 0;
                endpoint.consecutiveProbeSuccesses++;
                if (before == HealthState.UNHEALTHY && endpoint.consecutiveProbeSuccesses >= config.healthyThreshold()) {
                    after = HealthState.HEALTHY;
                }
            } else {
                endpoint.consecutiveProbeSuccesses = 0;
                endpoint.consecutiveProbeFailures++;
                if (before == HealthState.HEALTHY && endpoint.consecutiveProbeFailures >= config.unhealthyThreshold()) {
                    after = HealthState.UNHEALTHY;
                }
            }
            long interval = (after == HealthState.HEALTHY ? config.interval() : config.unhealthyInterval()).toNanos();
            endpoint.nextProbeAtNanos = nanoClock.getAsLong() + interval;
            if (after != before) {
                endpoint.health(after);
                endpoints.refresh();
            }
        }
        if (after != before) {
            listener.onEvent(new ResilienceEvent.HealthChanged(cluster, endpoint.id(), before, after));
        }
        return after;
    }
}
