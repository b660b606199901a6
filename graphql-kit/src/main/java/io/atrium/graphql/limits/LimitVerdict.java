package io.atrium.graphql.limits;

/** The outcome of checking an operation against its limits. */
public sealed interface LimitVerdict {
    LimitVerdict PASS = new Pass();

    record Pass() implements LimitVerdict {
    }

    /**
     * A limit was breached and the mode is {@code enforce}: answer with this error (HTTP 400).
     *
     * @param code    {@code MAX_DEPTH_LIMIT}, …
     * @param message what was over which limit
     */
    record Refuse(String code, String message) implements LimitVerdict {
    }
}
