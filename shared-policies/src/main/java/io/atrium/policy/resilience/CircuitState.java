package io.atrium.policy.resilience;

/** The states of a cluster's circuit breaker. */
public enum CircuitState {
    /** Calls flow; outcomes are recorded in the sliding window. */
    CLOSED,
    /** Calls are refused until the open duration has passed. */
    OPEN,
    /** A fixed number of probe calls flow; their outcome closes or re-opens the circuit. */
    HALF_OPEN
}
