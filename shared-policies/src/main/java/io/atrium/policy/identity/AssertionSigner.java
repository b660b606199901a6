package io.atrium.policy.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.Identity;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TreeSet;

/**
 * Signs the internal identity assertion: a short-lived ES256 JWS ({@code iss} = the edge, {@code aud} = internal,
 * {@code sub}, {@code consumer}, {@code scope}, {@code roles}, {@code claims}, {@code amr}). Signing is done once
 * per identity and reused for the first three quarters of the assertion's lifetime, so that services always get
 * an assertion with at least a quarter of its lifetime left.
 */
public final class AssertionSigner {

    private final AssertionConfig config;
    private final ECKey key;
    private final ECDSASigner signer;
    private final JWSHeader header;
    private final Clock clock;
    private final Cache<Identity, Signed> cache;

    private record Signed(List<HttpHeader> headers, long lifetimeNanos) {
    }

    private AssertionSigner(AssertionConfig config, ECKey key, Clock clock) throws JOSEException {
        this.config = config;
        this.key = key;
        this.signer = new ECDSASigner(key);
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.cacheMaximumSize())
                .expireAfter(Expiry.<Identity, Signed>writing((identity, signed) -> Duration.ofNanos(signed.lifetimeNanos() / 4 * 3)))
                // Maintenance on the caller: the default (the common pool) costs a thread wake-up every few hits.
                .executor(Runnable::run)
                .build();
    }

    public static AssertionSigner create(AssertionConfig config) {
        return create(config, Clock.systemUTC());
    }

    public static AssertionSigner create(AssertionConfig config, Clock clock) {
        try {
            return new AssertionSigner(config, signingKey(config), clock);
        } catch (JOSEException | ParseException e) {
            throw new IllegalArgumentException("identity_assertion: unusable signing key: " + e.getMessage(), e);
        }
    }

    private static ECKey signingKey(AssertionConfig config) throws JOSEException, ParseException {
        if (config.signingKey() == null) {
            return SigningKeys.newKey();
        }
        if (!(JWK.parse(config.signingKey()) instanceof ECKey ec) || !ec.isPrivate() || !Curve.P_256.equals(ec.getCurve())) {
            throw new JOSEException("signing_key must be a private EC P-256 JWK");
        }
        if (ec.getKeyID() == null) {
            throw new JOSEException("signing_key must have a kid");
        }
        return ec;
    }

    public AssertionConfig config() {
        return config;
    }

    /** The public keys as a JWKS document, for the admin endpoint services fetch it from. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString(true);
    }

    /** The signed assertion for {@code identity}, reused while fresh. */
    public String sign(Identity identity) {
        List<HttpHeader> headers = upstreamHeaders(identity);
        return headers.getLast().value();
    }

    /**
     * The identity headers for the upstream request: subject, consumer, scopes (when present) and the assertion,
     * as one cached list per identity (no allocation while it is fresh).
     */
    public List<HttpHeader> upstreamHeaders(Identity identity) {
        return cache.get(identity, this::signHeaders).headers();
    }

    private Signed signHeaders(Identity identity) {
        Instant now = clock.instant();
        Instant expiry = now.plus(config.ttl());
        if (identity.expiresAt() != null && identity.expiresAt().isBefore(expiry)) {
            expiry = identity.expiresAt();
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .audience(config.audience())
                .subject(identity.subject())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiry))
                .claim("amr", identity.method().name().toLowerCase(java.util.Locale.ROOT));
        if (identity.consumer() != null) {
            claims.claim("consumer", identity.consumer());
        }
        String scopes = String.join(" ", new TreeSet<>(identity.scopes()));
        if (!scopes.isEmpty()) {
            claims.claim("scope", scopes);
        }
        if (!identity.roles().isEmpty()) {
            claims.claim("roles", List.copyOf(new TreeSet<>(identity.roles())));
        }
        if (!identity.claims().isEmpty()) {
            claims.claim("claims", identity.claims());
        }
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing the identity assertion failed", e);
        }
        List<HttpHeader> headers = new ArrayList<>(4);
        headers.add(new HttpHeader(IdentityHeaders.SUBJECT, IdentityHeaders.headerSafe(identity.subject())));
        if (identity.consumer() != null) {
            headers.add(new HttpHeader(IdentityHeaders.CONSUMER, IdentityHeaders.headerSafe(identity.consumer())));
        }
        if (!scopes.isEmpty()) {
            headers.add(new HttpHeader(IdentityHeaders.SCOPES, IdentityHeaders.headerSafe(scopes)));
        }
        headers.add(new HttpHeader(IdentityHeaders.ASSERTION, jwt.serialize()));
        long lifetime = Math.max(0, Duration.between(now, expiry).toNanos());
        return new Signed(List.copyOf(headers), lifetime);
    }
}
