package io.atrium.policy.resilience;

/** An endpoint's state as established by active health checking. */
public enum HealthState {
    HEALTHY,
    UNHEALTHY
}
