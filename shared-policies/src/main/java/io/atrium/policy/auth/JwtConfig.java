package io.atrium.policy.auth;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How JWTs are verified.
 *
 * @param issuers accepted {@code iss} values; at least one
 * @param audiences accepted {@code aud} values: the token must name at least one; at least one
 * @param algorithms the algorithm allow-list (JOSE names: RS256, PS256, ES256, EdDSA, Ed25519, HS256, ...); default
 *                   RS256, PS256, ES256, EdDSA, Ed25519. {@code none} is always refused.
 * @param clockSkew tolerance applied to {@code exp} and {@code nbf} (default 30 s)
 * @param keys where the verification keys come from
 * @param claims which claims carry scopes, roles and the consumer, and which are kept on the identity
 * @param cacheMaximumSize bound of the verified-token cache (default 20 000, about 1.5 KB each); entries expire with their token
 */
public record JwtConfig(List<String> issuers, List<String> audiences, Set<String> algorithms, Duration clockSkew,
                        KeySource keys, ClaimMapping claims, int cacheMaximumSize) {

    public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "PS256", "ES256", "EdDSA", "Ed25519");
    /** Every algorithm that may appear in the allow-list. */
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA", "Ed25519", "HS256", "HS384", "HS512");
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final int DEFAULT_CACHE_MAXIMUM_SIZE = 20_000;

    public JwtConfig {
        issuers = List.copyOf(issuers);
        audiences = List.copyOf(audiences);
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("jwt: at least one accepted issuer is required");
        }
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("jwt: at least one accepted audience is required");
        }
        algorithms = algorithms == null || algorithms.isEmpty() ? DEFAULT_ALGORITHMS : Set.copyOf(new LinkedHashSet<>(algorithms));
        for (String algorithm : algorithms) {
            if (algorithm.equalsIgnoreCase("none")) {
                throw new IllegalArgumentException("jwt: algorithm 'none' can never be allowed");
            }
            if (!SUPPORTED_ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException("jwt: unknown algorithm '" + algorithm + "', expected one of "
                        + new java.util.TreeSet<>(SUPPORTED_ALGORITHMS));
            }
        }
        clockSkew = Objects.requireNonNullElse(clockSkew, DEFAULT_CLOCK_SKEW);
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("jwt: clock_skew must not be negative");
        }
        Objects.requireNonNull(keys, "keys");
        claims = Objects.requireNonNullElse(claims, ClaimMapping.DEFAULT);
        cacheMaximumSize = cacheMaximumSize <= 0 ? DEFAULT_CACHE_MAXIMUM_SIZE : cacheMaximumSize;
    }

    /** A config with the defaults for everything but issuer, audience and keys. */
    public static JwtConfig of(String issuer, String audience, KeySource keys) {
        return new JwtConfig(List.of(issuer), List.of(audience), null, null, keys, null, 0);
    }

    public JwtConfig withAlgorithms(Set<String> newAlgorithms) {
        return new JwtConfig(issuers, audiences, newAlgorithms, clockSkew, keys, claims, cacheMaximumSize);
    }

    public JwtConfig withClockSkew(Duration newClockSkew) {
        return new JwtConfig(issuers, audiences, algorithms, newClockSkew, keys, claims, cacheMaximumSize);
    }

    public JwtConfig withClaims(ClaimMapping newClaims) {
        return new JwtConfig(issuers, audiences, algorithms, clockSkew, keys, newClaims, cacheMaximumSize);
    }
}
