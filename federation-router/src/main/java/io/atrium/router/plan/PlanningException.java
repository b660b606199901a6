package io.atrium.router.plan;

/** The operation cannot be planned against the supergraph; the message says why. */
public final class PlanningException extends RuntimeException {
    public PlanningException(String message) {
        super(message);
    }
}
