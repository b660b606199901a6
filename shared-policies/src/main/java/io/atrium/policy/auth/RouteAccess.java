package io.atrium.policy.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who may call a route. There is no default that silently means "anyone": a route is {@link Authenticated} unless
 * its config says {@link Public} explicitly.
 */
public sealed interface RouteAccess {

    /** Anyone may call; no credentials are read and no identity is established. */
    record Public() implements RouteAccess {
    }

    /**
     * Callers must present a credential of an accepted kind and hold every required scope and role.
     *
     * @param credentials accepted credential kinds (default both)
     * @param requiredScopes scopes the caller must hold (default none)
     * @param requiredRoles roles the caller must hold (default none)
     */
    record Authenticated(Set<Credential> credentials, Set<String> requiredScopes, Set<String> requiredRoles) implements RouteAccess {

        public Authenticated {
            credentials = credentials == null || credentials.isEmpty() ? Set.of(Credential.JWT, Credential.API_KEY) : Set.copyOf(credentials);
            requiredScopes = requiredScopes == null ? Set.of() : Set.copyOf(requiredScopes);
            requiredRoles = requiredRoles == null ? Set.of() : Set.copyOf(requiredRoles);
        }

        public boolean accepts(Credential credential) {
            return credentials.contains(Objects.requireNonNull(credential));
        }
    }

    /** A kind of credential. */
    enum Credential { JWT, API_KEY }

    static RouteAccess publicRoute() {
        return new Public();
    }

    static Authenticated authenticated() {
        return new Authenticated(null, null, null);
    }

    static Authenticated requiring(Set<String> scopes, Set<String> roles) {
        return new Authenticated(null, scopes, roles);
    }
}
