package io.atrium.policy.error;

import java.util.Objects;

/**
 * A kind of problem with its stable contract: the machine-readable {@code code} clients switch on,
 * the HTTP status, a short human title and the RFC 9457 {@code type} URI.
 * Instances are constants (see {@link ProblemTypes}); never build one per request.
 */
public record ProblemType(String code, int status, String title, String type) {

    public ProblemType {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(type, "type");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("problem status must be 4xx or 5xx, was " + status);
        }
    }

    /** A type whose URI is derived from the code: {@code urn:atrium:problem:<code in lower-kebab-case>}. */
    public static ProblemType of(String code, int status, String title) {
        return new ProblemType(code, status, title, "urn:atrium:problem:" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
}
