package io.atrium.policy.resilience;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One endpoint of a cluster with the live state the resilience components share: requests in flight (kept by the
 * edge, or by {@link UpstreamCall}), health (active checks) and ejection (outlier detection).
 * Identity semantics: one instance per endpoint for the lifetime of the {@link UpstreamCluster}.
 */
public final class ClusterEndpoint {

    private final String id;
    private final int index;
    private final int weight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile HealthState health = HealthState.HEALTHY;
    private volatile boolean ejected;

    final Selection.Selected selected;
    final Selection.Selected selectedInPanic;

    // Outlier detection: counters on the request path (atomics), ejection bookkeeping under the detector's lock.
    final AtomicInteger consecutiveServerErrors = new AtomicInteger();
    final AtomicInteger consecutiveConnectFailures = new AtomicInteger();
    long ejectedUntilNanos;
    long returnedAtNanos;
    int timesEjected;

    // Active health checking, under the checker's lock (probes are rare and off the request path).
    int consecutiveProbeSuccesses;
    int consecutiveProbeFailures;
    long nextProbeAtNanos;

    ClusterEndpoint(String id, int index, int weight) {
        this.id = Objects.requireNonNull(id, "id");
        this.index = index;
        if (weight < 1) {
            throw new IllegalArgumentException("endpoint " + id + ": weight must be at least 1, was " + weight);
        }
        this.weight = weight;
        this.selected = new Selection.Selected(this, false);
        this.selectedInPanic = new Selection.Selected(this, true);
    }

    /** The endpoint's name, e.g. {@code orders-1:8080}; used as the {@code endpoint} metric tag. */
    public String id() {
        return id;
    }

    /**
     * The endpoint's position in the cluster's configuration order (0-based): lets the caller keep its own
     * per-endpoint state (e.g. connection pools per event loop) in arrays instead of maps.
     */
    public int index() {
        return index;
    }

    public int weight() {
        return weight;
    }

    /** Count a request (attempt) sent to this endpoint; pair with {@link #requestFinished()}. */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    /** Requests currently in flight to this endpoint. */
    public int inFlight() {
        return inFlight.get();
    }

    public HealthState health() {
        return health;
    }

    public boolean ejected() {
        return ejected;
    }

    /** Healthy and not ejected: eligible for load balancing outside panic mode. */
    public boolean available() {
        return health == HealthState.HEALTHY && !ejected;
    }

    void health(HealthState state) {
        this.health = state;
    }

    void ejected(boolean value) {
        this.ejected = value;
    }

    @Override
    public String toString() {
        return id;
    }
}
