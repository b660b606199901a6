package io.atrium.bff.web.session;

import io.atrium.policy.error.ProblemType;

/** A session step that ends in a problem document; carries no stack trace (an expected outcome, never logged as one). */
public final class SessionFailure extends RuntimeException {
    private final transient ProblemType type;

    public SessionFailure(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }
}
