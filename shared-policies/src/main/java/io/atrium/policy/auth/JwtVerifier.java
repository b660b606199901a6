package io.atrium.policy.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.atrium.policy.Identity;
import io.atrium.policy.auth.internal.JwksKeyResolver;
import io.atrium.policy.auth.internal.KeyResolver;
import io.atrium.policy.auth.internal.Keys;
import io.atrium.policy.auth.internal.StaticKeyResolver;
import io.atrium.policy.auth.internal.VerificationKey;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Verifies JWTs: signature (allow-listed algorithm, key of the matching type), {@code iss}, {@code aud}, {@code exp}
 * and {@code nbf} with clock skew. A valid token is verified once: its result is cached (bounded) until the token
 * expires, and a cache hit costs one hash lookup and no allocation.
 */
public final class JwtVerifier {
    /**
     * Longer tokens are refused before parsing or caching: real access tokens stay under 8 KiB (even with group
     * claims), and a verifier that parses, hashes and caches whatever arrives is a memory and CPU lever for anyone.
     */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final JwtConfig config;
    private final KeyResolver keys;
    private final Clock clock;
    private final Identity.Method method;
    private final Set<JWSAlgorithm> allowed;
    private final long skewMillis;
    private final Cache<String, CompletableFuture<JwtResult>> verified;
    private final ConcurrentMap<String, CompletableFuture<JwtResult>> inFlight = new ConcurrentHashMap<>();

    JwtVerifier(JwtConfig config, KeyResolver keys, Clock clock, Identity.Method method) {
        this.config = config;
        this.keys = keys;
        this.clock = clock;
        this.method = method;
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        config.algorithms().forEach(name -> algorithms.add(JWSAlgorithm.parse(name)));
        this.allowed = Set.copyOf(algorithms);
        this.skewMillis = config.clockSkew().toMillis();
        this.verified = Caffeine.newBuilder()
                .maximumSize(config.cacheMaximumSize())
                .expireAfter(Expiry.<String, CompletableFuture<JwtResult>>writing((token, result) -> java.time.Duration.ofNanos(untilExpiry(result))))
                // Maintenance on the caller: the default (the common pool) costs a thread wake-up every few hits.
                .executor(Runnable::run)
                .build();
    }

    /** A verifier for {@code config}; JWKS keys are fetched with {@code http}, which may be shared. */
    public static JwtVerifier create(JwtConfig config, HttpClient http) {
        return create(config, http, Clock.systemUTC(), Identity.Method.JWT);
    }

    /** As {@link #create(JwtConfig, HttpClient)} with an explicit clock and the method recorded on identities. */
    public static JwtVerifier create(JwtConfig config, HttpClient http, Clock clock, Identity.Method method) {
        KeyResolver resolver = switch (config.keys()) {
            case KeySource.Static s -> new StaticKeyResolver(Keys.fromConfig(s.keys(), config.algorithms()));
            case KeySource.Jwks jwks -> new JwksKeyResolver(jwks, config.algorithms(), http, System::nanoTime);
        };
        return new JwtVerifier(config, resolver, clock, method);
    }

    /** Fetches the JWKS document now instead of on the first token; completes at once for static keys. */
    public CompletionStage<Void> warmUp() {
        if (keys instanceof JwksKeyResolver jwks) {
            return jwks.prefetch();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The verdict on {@code token} (the compact JWS, without the {@code Bearer} prefix). Never blocks. */
    public CompletionStage<JwtResult> verify(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            return CompletableFuture.completedFuture(new JwtResult.Invalid(
                    "The token is too large (over " + MAX_TOKEN_CHARS + " characters)."));
        }
        CompletableFuture<JwtResult> cached = verified.getIfPresent(token);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<JwtResult> mine = new CompletableFuture<>();
        CompletableFuture<JwtResult> running = inFlight.putIfAbsent(token, mine);
        if (running != null) {
            return running;
        }
        verifyUncached(token).whenComplete((result, failure) -> {
            inFlight.remove(token, mine);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(result);
            }
        });
        return mine;
    }

    /** Signature checks cost milliseconds on a busy machine: concurrent first sightings of one token share one. */
    private CompletionStage<JwtResult> verifyUncached(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            // RuntimeException: Nimbus throws a NullPointerException for a header that is the JSON literal null
            // (found by JwtParserFuzz)
            return invalid("The token is not a signed JWT.");
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!allowed.contains(algorithm)) {
            return invalid("The token's signing algorithm is not accepted.");
        }
        return keys.candidates(jwt.getHeader().getKeyID())
                .thenApply(candidates -> check(token, jwt, algorithm, candidates));
    }

    private JwtResult check(String token, SignedJWT jwt, JWSAlgorithm algorithm, List<VerificationKey> candidates) {
        if (!signatureValid(jwt, algorithm, candidates)) {
            return new JwtResult.Invalid(candidates.isEmpty() ? "The token's signing key is unknown." : "The token's signature is invalid.");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return new JwtResult.Invalid("The token's claims are not valid JSON.");
        }
        String problem = claimsProblem(claims);
        if (problem != null) {
            return new JwtResult.Invalid(problem);
        }
        JwtResult result = new JwtResult.Valid(identity(claims));
        verified.put(token, CompletableFuture.completedFuture(result));
        return result;
    }

    private static boolean signatureValid(SignedJWT jwt, JWSAlgorithm algorithm, List<VerificationKey> candidates) {
        for (VerificationKey key : candidates) {
            if (!key.accepts(algorithm)) {
                continue;
            }
            try {
                if (jwt.verify(key.verifier())) {
                    return true;
                }
            } catch (JOSEException | IllegalStateException e) {
                // not this key
            }
        }
        return false;
    }

    private String claimsProblem(JWTClaimsSet claims) {
        long now = clock.millis();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return "The token has no expiry (exp).";
        }
        if (exp.getTime() + skewMillis <= now) {
            return "The token has expired.";
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() - skewMillis > now) {
            return "The token is not valid yet (nbf).";
        }
        if (claims.getIssuer() == null || !config.issuers().contains(claims.getIssuer())) {
            return "The token's issuer is not accepted.";
        }
        List<String> audience = claims.getAudience();
        for (String accepted : config.audiences()) {
            if (audience.contains(accepted)) {
                return null;
            }
        }
        return "The token's audience is not accepted.";
    }

    private Identity identity(JWTClaimsSet claims) {
        ClaimMapping mapping = config.claims();
        Object scopeClaim = claims.getClaim(mapping.scopes());
        if (scopeClaim == null && mapping.scopes().equals("scope")) {
            scopeClaim = claims.getClaim("scp");
        }
        Object consumer = claims.getClaim(mapping.consumer());
        if (consumer == null && mapping.consumer().equals("azp")) {
            consumer = claims.getClaim("client_id");
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String name : mapping.kept()) {
            Object value = claims.getClaim(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        String subject = claims.getSubject() != null ? claims.getSubject() : consumer instanceof String c ? c : "";
        return new Identity(subject, consumer instanceof String c ? c : null, words(scopeClaim), words(claims.getClaim(mapping.roles())),
                kept, claims.getExpirationTime().toInstant(), method);
    }

    /** A claim that is a space-separated string or a list of strings, as a set. */
    static Set<String> words(Object claim) {
        Set<String> out = new HashSet<>();
        if (claim instanceof String s) {
            for (String word : s.split(" ")) {
                if (!word.isEmpty()) {
                    out.add(word);
                }
            }
        } else if (claim instanceof Collection<?> list) {
            for (Object item : list) {
                if (item instanceof String s && !s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private long untilExpiry(CompletableFuture<JwtResult> result) {
        if (result.getNow(null) instanceof JwtResult.Valid valid) {
            Instant expiresAt = valid.identity().expiresAt();
            long millis = expiresAt.toEpochMilli() + skewMillis - clock.millis();
            return Math.max(0, millis) * 1_000_000L;
        }
        return 0;
    }

    private static CompletionStage<JwtResult> invalid(String description) {
        return CompletableFuture.completedFuture(new JwtResult.Invalid(description));
    }
}
