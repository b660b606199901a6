package io.atrium.policy.resilience;

import java.time.Duration;

/**
 * Something the resilience components of a cluster did, for logs and metrics. Closed. State changes are rare and
 * allocate their event; the per-request events ({@link PanicRouted}, {@link CircuitRejected}, {@link RetryAttempted},
 * {@link RetryDenied}) are preallocated per cluster.
 */
public sealed interface ResilienceEvent {

    /** The cluster's name (the {@code cluster} metric tag). */
    String cluster();

    /** Active health checking moved an endpoint between states. */
    record HealthChanged(String cluster, String endpoint, HealthState from, HealthState to) implements ResilienceEvent {
    }

    /** Outlier detection ejected an endpoint for {@code duration} (its {@code timesEjected}-th ejection). */
    record EndpointEjected(String cluster, String endpoint, EjectionReason reason, Duration duration, int timesEjected)
            implements ResilienceEvent {
    }

    /** An endpoint met an ejection condition, but ejecting it would exceed the cluster's maximum ejected share. */
    record EjectionCapped(String cluster, String endpoint, EjectionReason reason) implements ResilienceEvent {
    }

    /** An ejected endpoint's ejection time ran out; it takes traffic again. */
    record EndpointReturned(String cluster, String endpoint) implements ResilienceEvent {
    }

    /** The cluster's circuit breaker changed state. */
    record CircuitTransition(String cluster, CircuitState from, CircuitState to) implements ResilienceEvent {
    }

    /** The circuit breaker refused an attempt. */
    record CircuitRejected(String cluster) implements ResilienceEvent {
    }

    /** No endpoint was available; one was chosen among all of them (panic mode). */
    record PanicRouted(String cluster) implements ResilienceEvent {
    }

    /** A retry was granted. */
    record RetryAttempted(String cluster) implements ResilienceEvent {
    }

    /** A retriable failure was not retried because of {@code reason} (budget, attempts, total timeout, circuit). */
    record RetryDenied(String cluster, RetryDecision.Reason reason) implements ResilienceEvent {
    }

    /** Why outlier detection ejects an endpoint. */
    enum EjectionReason {
        CONSECUTIVE_5XX,
        CONSECUTIVE_CONNECT_FAILURES
    }
}
