package io.atrium.policy.auth;

import java.util.Objects;

/**
 * The gateway-wide authenticators, built once at config load and shared by every route's {@link AuthPolicy}
 * (so a token verified on one route is cached for all).
 *
 * @param jwt the JWT verifier, or null when no JWT issuer is configured
 * @param apiKeys the API key authenticator, or null when no API keys are configured
 * @param realm the {@code realm} of {@code WWW-Authenticate} challenges (default {@code atrium})
 */
public record Authenticators(JwtVerifier jwt, ApiKeyAuthenticator apiKeys, String realm) {

    public static final String DEFAULT_REALM = "atrium";

    public Authenticators {
        realm = Objects.requireNonNullElse(realm, DEFAULT_REALM);
        if (!realm.matches("[\\x20-\\x7e&&[^\"\\\\]]+")) {
            throw new IllegalArgumentException("auth: realm must be printable ASCII without quotes or backslashes");
        }
    }

    /** The policy for one route; fails when the route accepts only credentials no authenticator is configured for. */
    public AuthPolicy forRoute(RouteAccess access) {
        return new AuthPolicy(access, this);
    }
}
