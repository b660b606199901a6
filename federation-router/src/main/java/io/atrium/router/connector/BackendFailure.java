package io.atrium.router.connector;

import io.atrium.policy.resilience.AttemptOutcome;

/**
 * An attempt of a backend call that produced no answer; protocols complete the attempt exceptionally with it so
 * that {@link BackendCalls} can tell a retriable failure (the request never left) from one that is not.
 */
public final class BackendFailure extends RuntimeException {

    private final AttemptOutcome.Failure failure;

    public BackendFailure(AttemptOutcome.Failure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    public AttemptOutcome.Failure failure() {
        return failure;
    }
}
