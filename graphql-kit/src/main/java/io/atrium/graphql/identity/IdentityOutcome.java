package io.atrium.graphql.identity;

import io.atrium.policy.Identity;

/** Who is calling, as far as the endpoint can tell, or why the request is refused. */
public sealed interface IdentityOutcome {
    IdentityOutcome ANONYMOUS = new Anonymous();

    /** Verified: subject, consumer, scopes, roles and the kept claims. */
    record Verified(Identity identity) implements IdentityOutcome {
    }

    record Anonymous() implements IdentityOutcome {
    }

    /**
     * 401 {@code UNAUTHENTICATED}.
     *
     * @param message why, safe to show the client (never echoes token content)
     */
    record Refused(String message) implements IdentityOutcome {
    }
}
