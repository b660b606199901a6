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
    private final Function<String, CompletionStage<JwtResult>> verify;
    private final String credentialHeader;
    private final Counter verified;
    private final Counter anonymous;
    private final Counter refused;

    private IdentityResolver(IdentityConfig config, Function<String, CompletionStage<JwtResult>> verify,
                             String credentialHeader, MeterRegistry registry) {
        this.config = config;
        this.verify = verify;
        this.credentialHeader = credentialHeader;
        this.verified = registry.counter("atrium.graphql.identity", "outcome", "verified");
        this.anonymous = registry.counter("atrium.graphql.identity", "outcome", "anonymous");
        this.refused = registry.counter("atrium.graphql.identity", "outcome", "refused");
    }

    /** Builds the verifier the config names and starts fetching its keys. */
    public static IdentityResolver create(IdentityConfig config, HttpClient http, MeterRegistry registry) {
        return switch (config.source()) {
            case NONE -> new IdentityResolver(config, null, null, registry);
            case EDGE_ASSERTION -> {
                AssertionVerifier verifier = AssertionVerifier.create(config.assertion(), http);
                verifier.warmUp();
                yield new IdentityResolver(config, verifier::verify, IdentityHeaders.ASSERTION, registry);
            }
            case JWT -> {
                JwtVerifier verifier = JwtVerifier.create(config.jwt(), http);
                verifier.warmUp();
                yield new IdentityResolver(config, verifier::verify, "authorization", registry);
            }
        };
    }

    public CompletionStage<IdentityOutcome> resolve(HeaderLookup headers) {
        String assertion = headers.get(IdentityHeaders.ASSERTION);
        boolean bareHeaders = headers.contains(IdentityHeaders.SUBJECT) || headers.contains(IdentityHeaders.CONSUMER)
                || headers.contains(IdentityHeaders.SCOPES);
        if (bareHeaders && (assertion == null || config.source() != IdentitySource.EDGE_ASSERTION)) {
            return refuse("identity headers are accepted only with the edge's signed " + IdentityHeaders.ASSERTION
                    + " (call through the edge)");
        }
        String credential = credential(headers);
        if (credential == null) {
            if (config.required()) {
                return refuse(config.source() == IdentitySource.JWT ? "a bearer token is required"
                        : "this endpoint needs the edge's " + IdentityHeaders.ASSERTION + " (call through the edge)");
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

    private String credential(HeaderLookup headers) {
        if (credentialHeader == null) {
            return null;
        }
        String value = headers.get(credentialHeader);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (config.source() == IdentitySource.JWT) {
            return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : null;
        }
        return value.trim();
    }

    private CompletionStage<IdentityOutcome> refuse(String message) {
        refused.increment();
        return CompletableFuture.completedFuture(new IdentityOutcome.Refused(message));
    }
}
