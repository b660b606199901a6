package io.atrium.policy.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Passive outlier detection of one cluster: counts consecutive failures per endpoint from real traffic and ejects an
 * endpoint that reaches a threshold, for {@code base × times ejected} (capped), never ejecting more than the maximum
 * share of the cluster. Ejected endpoints return by themselves once their time is up (checked lazily on the next
 * selection, so no timer is needed).
 *
 * <p>{@link #record} is on the request path: two atomic operations and no lock unless a threshold is reached.
 */
public final class OutlierDetector {

    private final String cluster;
    private final OutlierDetectionConfig config;
    private final EndpointSet endpoints;
    private final LongSupplier nanoClock;
    private final ResilienceListener listener;
    private final int maxEjected;
    private int ejectedCount;
    private volatile long nextReturnAtNanos = Long.MAX_VALUE;

    OutlierDetector(String cluster, OutlierDetectionConfig config, EndpointSet endpoints, LongSupplier nanoClock, ResilienceListener listener) {
        this.cluster = cluster;
        this.config = config;
        this.endpoints = endpoints;
        this.nanoClock = nanoClock;
        this.listener = listener;
        this.maxEjected = endpoints.all().size() * config.maxEjectionPercent() / 100;
    }

    public OutlierDetectionConfig config() {
        return config;
    }

    /** Counts an attempt's outcome against {@code endpoint}. */
    public void record(ClusterEndpoint endpoint, AttemptOutcome outcome) {
        switch (outcome) {
            case AttemptOutcome.Response response when response.status() < 500 -> {
                reset(endpoint);
            }
            case AttemptOutcome.Failure failure when failure.requestNeverSent() -> {
                int count = endpoint.consecutiveConnectFailures.incrementAndGet();
                if (count >= config.consecutiveConnectFailures()) {
                    tryEject(endpoint, ResilienceEvent.EjectionReason.CONSECUTIVE_CONNECT_FAILURES, count == config.consecutiveConnectFailures());
                }
            }
            default -> {
                int count = endpoint.consecutiveServerErrors.incrementAndGet();
                if (count >= config.consecutive5xx()) {
                    tryEject(endpoint, ResilienceEvent.EjectionReason.CONSECUTIVE_5XX, count == config.consecutive5xx());
                }
            }
        }
    }

    private static void reset(ClusterEndpoint endpoint) {
        // Read first: on the common path nothing is written, so a shared cache line stays clean.
        if (endpoint.consecutiveServerErrors.get() != 0) {
            endpoint.consecutiveServerErrors.set(0);
        }
        if (endpoint.consecutiveConnectFailures.get() != 0) {
            endpoint.consecutiveConnectFailures.set(0);
        }
    }

    /** Lets ejected endpoints whose time is up return; cheap (one volatile read) when none is due. */
    void returnExpired() {
        if (nextReturnAtNanos == Long.MAX_VALUE) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - nextReturnAtNanos >= 0) {
            returnExpired(now);
        }
    }

    private void returnExpired(long now) {
        List<String> returned = null;
        synchronized (this) {
            long next = Long.MAX_VALUE;
            for (ClusterEndpoint endpoint : endpoints.all()) {
                if (!endpoint.ejected()) {
                    continue;
                }
                if (now - endpoint.ejectedUntilNanos >= 0) {
                    endpoint.ejected(false);
                    endpoint.returnedAtNanos = now;
                    ejectedCount--;
                    reset(endpoint);
                    if (returned == null) {
                        returned = new ArrayList<>();
                    }
                    returned.add(endpoint.id());
                } else {
                    next = Math.min(next, endpoint.ejectedUntilNanos);
                }
            }
            nextReturnAtNanos = next;
            if (returned != null) {
                endpoints.refresh();
            }
        }
        if (returned != null) {
            for (String id : returned) {
                listener.onEvent(new ResilienceEvent.EndpointReturned(cluster, id));
            }
        }
    }

    private void tryEject(ClusterEndpoint endpoint, ResilienceEvent.EjectionReason reason, boolean firstTimeAtThreshold) {
        if (endpoint.ejected()) {
            return;
        }
        ResilienceEvent event;
        synchronized (this) {
            if (endpoint.ejected()) {
                return;
            }
            if (ejectedCount >= maxEjected) {
                event = firstTimeAtThreshold ? new ResilienceEvent.EjectionCapped(cluster, endpoint.id(), reason) : null;
            } else {
                long now = nanoClock.getAsLong();
                long max = config.maxEjectionTime().toNanos();
                if (endpoint.timesEjected > 0 && now - endpoint.returnedAtNanos > max) {
                    endpoint.timesEjected = 0;
                }
                endpoint.timesEjected++;
                long duration = Math.min(max, config.baseEjectionTime().toNanos() * endpoint.timesEjected);
                endpoint.ejectedUntilNanos = now + duration;
                endpoint.ejected(true);
                ejectedCount++;
                endpoint.consecutiveServerErrors.set(0);
                endpoint.consecutiveConnectFailures.set(0);
                if (nextReturnAtNanos == Long.MAX_VALUE || endpoint.ejectedUntilNanos - nextReturnAtNanos < 0) {
                    nextReturnAtNanos = endpoint.ejectedUntilNanos;
                }
                endpoints.refresh();
                event = new ResilienceEvent.EndpointEjected(cluster, endpoint.id(), reason, Duration.ofNanos(duration), endpoint.timesEjected);
            }
        }
        if (event != null) {
            listener.onEvent(event);
        }
    }

    /** Endpoints ejected right now. */
    public synchronized int ejectedCount() {
        return ejectedCount;
    }
}
