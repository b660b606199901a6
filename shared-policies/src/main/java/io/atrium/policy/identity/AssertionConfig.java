package io.atrium.policy.identity;

import java.time.Duration;
import java.util.Objects;

/**
 * How the edge signs internal assertions.
 *
 * @param issuer the {@code iss} of assertions (default {@code atrium-edge})
 * @param audience the {@code aud} of assertions (default {@code atrium-internal})
 * @param ttl lifetime of one assertion (default 60 s); never beyond the expiry of the credential it asserts
 * @param signingKey an EC P-256 private key as JWK JSON with a {@code kid}, or null to generate one at start
 *                   (then every edge instance has its own key: publish each instance's JWKS, or configure one key)
 * @param cacheMaximumSize bound of the per-identity assertion cache (default 20 000, about 1.5 KB each)
 */
public record AssertionConfig(String issuer, String audience, Duration ttl, String signingKey, int cacheMaximumSize) {

    public static final String DEFAULT_ISSUER = "atrium-edge";
    public static final String DEFAULT_AUDIENCE = "atrium-internal";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    public static final AssertionConfig DEFAULT = new AssertionConfig(null, null, null, null, 0);

    public AssertionConfig {
        issuer = Objects.requireNonNullElse(issuer, DEFAULT_ISSUER);
        audience = Objects.requireNonNullElse(audience, DEFAULT_AUDIENCE);
        ttl = Objects.requireNonNullElse(ttl, DEFAULT_TTL);
        if (ttl.compareTo(Duration.ofSeconds(4)) < 0) {
            throw new IllegalArgumentException("identity_assertion: ttl must be at least 4s");
        }
        cacheMaximumSize = cacheMaximumSize <= 0 ? 20_000 : cacheMaximumSize;
    }
}
