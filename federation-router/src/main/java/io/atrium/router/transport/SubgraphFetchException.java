package io.atrium.router.transport;

import io.atrium.policy.resilience.AttemptOutcome;

/**
 * The subgraph could not be reached, timed out, answered something that is not a GraphQL response, or its circuit is
 * open. {@link #outcome()} says how far the request got (what decides whether it may be retried); null when the
 * transport cannot tell, which counts as "may have reached the subgraph".
 */
public final class SubgraphFetchException extends RuntimeException {
    private final transient AttemptOutcome outcome;
    private final long circuitRetryAfterSeconds;

    public SubgraphFetchException(String message) {
        this(message, null, null);
    }

    public SubgraphFetchException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public SubgraphFetchException(String message, Throwable cause, AttemptOutcome outcome) {
        this(message, cause, outcome, 0);
    }

    private SubgraphFetchException(String message, Throwable cause, AttemptOutcome outcome, long circuitRetryAfterSeconds) {
        super(message, cause, false, false); // expected failures: no stack trace to fill or log
        this.outcome = outcome;
        this.circuitRetryAfterSeconds = circuitRetryAfterSeconds;
    }

    /** The subgraph's circuit breaker is open: nothing was sent. */
    public static SubgraphFetchException circuitOpen(String subgraph, long retryAfterSeconds) {
        return new SubgraphFetchException("Subgraph '" + subgraph + "' is failing and calls to it are paused (circuit open); "
                + "retry after " + retryAfterSeconds + " s.", null, null, retryAfterSeconds);
    }

    /** How the attempt ended, or null when unknown. */
    public AttemptOutcome outcome() {
        return outcome;
    }

    /** True when the subgraph's circuit breaker refused the call. */
    public boolean circuitOpen() {
        return circuitRetryAfterSeconds > 0;
    }
}
