package io.atrium.policy.identity;

import io.atrium.policy.Identity;
import io.atrium.policy.auth.ClaimMapping;
import io.atrium.policy.auth.JwtConfig;
import io.atrium.policy.auth.JwtResult;
import io.atrium.policy.auth.JwtVerifier;
import io.atrium.policy.auth.KeySource;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Service side (router, BFFs): verifies the edge's internal assertion (ES256 only, the edge's {@code iss}, the
 * internal {@code aud}) and turns it back into an {@link Identity}. Verified assertions are cached until they expire.
 */
public final class AssertionVerifier {

    private final JwtVerifier verifier;

    private AssertionVerifier(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * How a service verifies assertions.
     *
     * @param issuer the edge's {@code iss} (default {@code atrium-edge})
     * @param audience the internal {@code aud} (default {@code atrium-internal})
     * @param keys the edge's public keys: its JWKS URL (admin port) or the JWKS document itself
     * @param clockSkew tolerance on {@code exp} (default 5 s)
     */
    public record Config(String issuer, String audience, KeySource keys, Duration clockSkew) {
        public Config {
            issuer = Objects.requireNonNullElse(issuer, AssertionConfig.DEFAULT_ISSUER);
            audience = Objects.requireNonNullElse(audience, AssertionConfig.DEFAULT_AUDIENCE);
            Objects.requireNonNull(keys, "keys");
            clockSkew = Objects.requireNonNullElse(clockSkew, Duration.ofSeconds(5));
        }
    }

    public static AssertionVerifier create(Config config, HttpClient http) {
        return create(config, http, Clock.systemUTC());
    }

    public static AssertionVerifier create(Config config, HttpClient http, Clock clock) {
        JwtConfig jwt = new JwtConfig(List.of(config.issuer()), List.of(config.audience()), Set.of("ES256"), config.clockSkew(),
                config.keys(), new ClaimMapping("scope", "roles", "consumer", List.of("claims")), 0);
        return new AssertionVerifier(JwtVerifier.create(jwt, http, clock, Identity.Method.ASSERTION));
    }

    /** Fetches the edge's JWKS now instead of on the first assertion. */
    public CompletionStage<Void> warmUp() {
        return verifier.warmUp();
    }

    /** The identity the assertion carries, or why it is not acceptable. */
    public CompletionStage<JwtResult> verify(String assertion) {
        return verifier.verify(assertion).thenApply(AssertionVerifier::unwrapClaims);
    }

    @SuppressWarnings("unchecked")
    private static JwtResult unwrapClaims(JwtResult result) {
        if (result instanceof JwtResult.Valid(Identity identity) && identity.claims().get("claims") instanceof Map<?, ?> nested) {
            return new JwtResult.Valid(new Identity(identity.subject(), identity.consumer(), identity.scopes(), identity.roles(),
                    (Map<String, Object>) nested, identity.expiresAt(), identity.method()));
        }
        return result;
    }
}
