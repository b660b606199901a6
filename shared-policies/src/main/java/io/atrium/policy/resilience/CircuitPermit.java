package io.atrium.policy.resilience;

/**
 * The circuit breaker's answer to "may this call go?". Closed: {@link Admitted} (record its outcome with
 * {@link CircuitBreaker#record}) or {@link Rejected}.
 */
public sealed interface CircuitPermit {

    /** The call may go. Preallocated per breaker state, so admitting allocates nothing. */
    final class Admitted implements CircuitPermit {
        final Object phase;

        Admitted(Object phase) {
            this.phase = phase;
        }
    }

    /** The call is refused; the client may retry after {@code retryAfterSeconds} (at least 1). */
    record Rejected(CircuitState state, long retryAfterSeconds) implements CircuitPermit {
    }
}
