package io.atrium.graphql.identity;

import io.atrium.graphql.http.HeaderLookup;
import io.atrium.policy.auth.JwtResult;
import io.atrium.policy.auth.JwtVerifier;
import io.atrium.policy.identity.AssertionVerifier;
import io.atrium.policy.identity.IdentityHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Establishes the caller of one request with shared-policies' verifiers (verified tokens are cached until they
 * expire, so a repeat costs a cache lookup). Identity headers a client sends ({@code X-Atrium-Subject},
 * {@code -Consumer}, {@code -Scopes}) are never believed: without a valid assertion next to them the request is
 * refused, whatever the source. Counter: {@code atrium.graphql.identity{outcome=verified|anonymous|refused}}.
 */
public final class IdentityResolver {
    private static final CompletionStage<IdentityOutcome> ANONYMOUS = CompletableFuture.completedFuture(IdentityOutcome.ANONYMOUS);

    private final IdentityConfig config;
    /** Verifies the edge's assertion; null when the config accepts none. */
    private final Function<String, CompletionStage<JwtResult>> assertions;
    /** Verifies client JWTs ({@code Authorization: Bearer}); null when the config accepts none. */
    private final Function<String, CompletionStage<JwtResult>> jwts;
    private final Counter verified;
    private final Counter anonymous;
    private final Counter refused;

    private IdentityResolver(IdentityConfig config, Function<String, CompletionStage<JwtResult>> assertions,
                             Function<String, CompletionStage<JwtResult>> jwts, MeterRegistry registry) {
        this.config = config;
        this.assertions = assertions;
        this.jwts = jwts;
        this.verified = registry.counter("atrium.graphql.identity", "outcome", "verified");
        this.anonymous = registry.counter("atrium.graphql.identity", "outcome", "anonymous");
        this.refused = registry.counter("atrium.graphql.identity", "outcome", "refused");
    }

    /** Builds the verifiers the config names and starts fetching their keys. */
    public static IdentityResolver create(IdentityConfig config, HttpClient http, MeterRegistry registry) {
        Function<String, CompletionStage<JwtResult>> assertions = null;
        Function<String, CompletionStage<JwtResult>> jwts = null;
        if (config.source() != IdentitySource.NONE && config.assertion() != null) {
            AssertionVerifier verifier = AssertionVerifier.create(config.assertion(), http);
            verifier.warmUp();
            assertions = verifier::verify;
        }
        if (config.source() != IdentitySource.NONE && config.jwt() != null) {
            JwtVerifier verifier = JwtVerifier.create(config.jwt(), http);
            verifier.warmUp();
            jwts = verifier::verify;
        }
        return new IdentityResolver(config, assertions, jwts, registry);
    }

    public CompletionStage<IdentityOutcome> resolve(HeaderLookup headers) {
        String assertion = nonBlank(headers.get(IdentityHeaders.ASSERTION));
        boolean bareHeaders = headers.contains(IdentityHeaders.SUBJECT) || headers.contains(IdentityHeaders.CONSUMER)
                || headers.contains(IdentityHeaders.SCOPES);
        if (bareHeaders && (assertion == null || assertions == null)) {
            return refuse("identity headers are accepted only with the edge's signed " + IdentityHeaders.ASSERTION
                    + " (call through the edge)");
        }
        Function<String, CompletionStage<JwtResult>> verify;
        String credential;
        if (assertions != null && assertion != null) {
            verify = assertions; // the edge verified the client's credential and signed this: it wins
            credential = assertion;
        } else {
            verify = jwts;
            credential = jwts == null ? null : bearer(headers.get("authorization"));
        }
        if (credential == null) {
            if (config.required()) {
                return refuse(assertions == null ? "a bearer token is required"
                        : jwts == null ? "this endpoint needs the edge's " + IdentityHeaders.ASSERTION + " (call through the edge)"
                        : "this endpoint needs the edge's " + IdentityHeaders.ASSERTION + " or a bearer token");
            }
            anonymous.increment();
            return ANONYMOUS;
        }
        return verify.apply(credential).thenApply(result -> switch (result) {
            case JwtResult.Valid valid -> {
                verified.increment();
                yield new IdentityOutcome.Verified(valid.identity());
            }
            case JwtResult.Invalid invalid -> {
                refused.increment();
                yield new IdentityOutcome.Refused("the credential is not acceptable: " + invalid.description());
            }
        });
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String bearer(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? nonBlank(value.substring(7)) : null;
    }

    private CompletionStage<IdentityOutcome> refuse(String message) {
        refused.increment();
        return CompletableFuture.completedFuture(new IdentityOutcome.Refused(message));
    }
}
