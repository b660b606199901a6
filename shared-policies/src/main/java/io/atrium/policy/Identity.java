package io.atrium.policy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as established by an authentication policy.
 *
 * @param subject the authenticated principal ({@code sub} of a JWT; the consumer name for an API key)
 * @param consumer the calling application (a JWT's configured consumer claim, e.g. {@code azp}; the API key's consumer); may be null
 * @param scopes granted OAuth scopes
 * @param roles granted roles
 * @param claims the configured selection of further token claims (values are JSON-like: strings, numbers, booleans, lists, maps)
 * @param expiresAt when the credential stops being valid; null for credentials that do not expire (API keys)
 * @param method how the identity was established
 */
public record Identity(String subject, String consumer, Set<String> scopes, Set<String> roles, Map<String, Object> claims,
                       Instant expiresAt, Method method) {

    /** How an identity was established. */
    public enum Method { JWT, API_KEY, ASSERTION }

    public Identity {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(method, "method");
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
        claims = Map.copyOf(claims);
    }

    /** True when every scope of {@code required} was granted. */
    public boolean hasScopes(Set<String> required) {
        return scopes.containsAll(required);
    }

    /** True when every role of {@code required} was granted. */
    public boolean hasRoles(Set<String> required) {
        return roles.containsAll(required);
    }
}
