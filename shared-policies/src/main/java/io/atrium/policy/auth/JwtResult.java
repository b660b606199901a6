package io.atrium.policy.auth;

import io.atrium.policy.Identity;

/** The outcome of verifying one token. */
public sealed interface JwtResult {

    record Valid(Identity identity) implements JwtResult {
    }

    /** @param description why, safe to show the client (never echoes token content) */
    record Invalid(String description) implements JwtResult {
    }
}
