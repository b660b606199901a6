package io.atrium.policy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.atrium.policy.Identity;
import io.atrium.policy.auth.internal.JwksKeyResolver;
import io.atrium.policy.auth.internal.KeyResolver;
import io.atrium.policy.auth.internal.Keys;
import io.atrium.policy.auth.internal.StaticKeyResolver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Set<String> ALL = Set.of("RS256", "PS256", "ES256", "EdDSA", "Ed25519", "HS256");

    private static final RSAKey RSA = TestKeys.rsa("rsa-1");
    private static final ECKey EC = TestKeys.ec("ec-1");
    private static final TestKeys.EdKey ED = TestKeys.ed25519("ed-1");
    private static final OctetSequenceKey HMAC = TestKeys.hmac("hs-1");

    private static JwtVerifier verifier(Set<String> algorithms, String... keys) {
        JwtConfig config = JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, KeySource.Static.of(keys)).withAlgorithms(algorithms);
        return JwtVerifier.create(config, null, CLOCK, Identity.Method.JWT);
    }

    private static String publicJwks() {
        return new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK(), ED.jwk())).toString();
    }

    private static JwtResult verify(JwtVerifier verifier, String token) {
        return verifier.verify(token).toCompletableFuture().join();
    }

    private static String description(JwtResult result) {
        assertThat(result).isInstanceOf(JwtResult.Invalid.class);
        return ((JwtResult.Invalid) result).description();
    }

    @Test
    void acceptsEveryAlgorithmWithItsKey() {
        JwtVerifier verifier = verifier(ALL, publicJwks(), HMAC.toJSONString());
        JWTClaimsSet claims = TestKeys.claims(NOW).build();
        List<String> tokens = List.of(
                TestKeys.sign(RSA, JWSAlgorithm.RS256, claims),
                TestKeys.sign(RSA, JWSAlgorithm.PS256, claims),
                TestKeys.sign(EC, JWSAlgorithm.ES256, claims),
                TestKeys.signEd25519(ED, "EdDSA", claims),
                TestKeys.signEd25519(ED, "Ed25519", claims),
                TestKeys.sign(HMAC, JWSAlgorithm.HS256, claims));
        for (String token : tokens) {
            assertThat(verify(verifier, token)).as(token).isInstanceOf(JwtResult.Valid.class);
        }
    }

    @Test
    void acceptsPemPublicKeys() throws Exception {
        JwtVerifier verifier = verifier(ALL, TestKeys.pem(RSA.toPublicKey()), TestKeys.pem(EC.toPublicKey()), TestKeys.pem(ED.pair().getPublic()));
        JWTClaimsSet claims = TestKeys.claims(NOW).build();
        assertThat(verify(verifier, TestKeys.sign(RSA, JWSAlgorithm.RS256, claims))).isInstanceOf(JwtResult.Valid.class);
        assertThat(verify(verifier, TestKeys.sign(EC, JWSAlgorithm.ES256, claims))).isInstanceOf(JwtResult.Valid.class);
        assertThat(verify(verifier, TestKeys.signEd25519(ED, "EdDSA", claims))).isInstanceOf(JwtResult.Valid.class);
    }

    @Test
    void mapsClaimsToIdentity() {
        JwtConfig config = JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, KeySource.Static.of(publicJwks()))
                .withClaims(new ClaimMapping(null, null, null, List.of("tenant")));
        JwtVerifier verifier = JwtVerifier.create(config, null, CLOCK, Identity.Method.JWT);
        String token = TestKeys.sign(RSA, JWSAlgorithm.RS256, TestKeys.claims(NOW).claim("tenant", "acme").build());

        Identity identity = ((JwtResult.Valid) verify(verifier, token)).identity();

        assertThat(identity.subject()).isEqualTo("alice");
        assertThat(identity.consumer()).isEqualTo("web-app");
        assertThat(identity.scopes()).containsExactlyInAnyOrder("orders:read", "orders:write");
        assertThat(identity.roles()).containsExactly("customer");
        assertThat(identity.claims()).containsExactly(java.util.Map.entry("tenant", "acme"));
        assertThat(identity.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(identity.method()).isEqualTo(Identity.Method.JWT);
    }

    @Test
    void expiryAndNotBeforeHonourClockSkew() {
        JwtVerifier verifier = verifier(ALL, publicJwks());
        String expiredWithinSkew = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).expirationTime(Date.from(NOW.minusSeconds(20))).build());
        String expired = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).expirationTime(Date.from(NOW.minusSeconds(31))).build());
        String notYetWithinSkew = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).notBeforeTime(Date.from(NOW.plusSeconds(20))).build());
        String notYet = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).notBeforeTime(Date.from(NOW.plusSeconds(40))).build());
        String noExpiry = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).expirationTime(null).build());

        assertThat(verify(verifier, expiredWithinSkew)).isInstanceOf(JwtResult.Valid.class);
        assertThat(description(verify(verifier, expired))).contains("expired");
        assertThat(verify(verifier, notYetWithinSkew)).isInstanceOf(JwtResult.Valid.class);
        assertThat(description(verify(verifier, notYet))).contains("not valid yet");
        assertThat(description(verify(verifier, noExpiry))).contains("no expiry");
    }

    @Test
    void skewIsConfigurable() {
        JwtConfig config = JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, KeySource.Static.of(publicJwks())).withClockSkew(Duration.ZERO);
        JwtVerifier strict = JwtVerifier.create(config, null, CLOCK, Identity.Method.JWT);
        String justExpired = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).expirationTime(Date.from(NOW.minusSeconds(1))).build());
        assertThat(description(verify(strict, justExpired))).contains("expired");
    }

    @Test
    void refusesWrongIssuerAndAudience() {
        JwtVerifier verifier = verifier(ALL, publicJwks());
        String wrongIssuer = TestKeys.sign(RSA, JWSAlgorithm.RS256, TestKeys.claims(NOW).issuer("https://evil.test").build());
        String wrongAudience = TestKeys.sign(RSA, JWSAlgorithm.RS256, TestKeys.claims(NOW).audience("someone-else").build());
        String noIssuer = TestKeys.sign(RSA, JWSAlgorithm.RS256, TestKeys.claims(NOW).issuer(null).build());

        assertThat(description(verify(verifier, wrongIssuer))).contains("issuer");
        assertThat(description(verify(verifier, wrongAudience))).contains("audience");
        assertThat(description(verify(verifier, noIssuer))).contains("issuer");
    }

    @Test
    void refusesAlgNoneAlways() {
        JwtVerifier verifier = verifier(ALL, publicJwks());
        String claims = TestKeys.claims(NOW).build().toString();
        String unsecured = Base64URL.encode("{\"alg\":\"none\"}") + "." + Base64URL.encode(claims) + ".";
        String unsecuredWithKid = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + Base64URL.encode(claims) + ".";

        assertThat(verify(verifier, unsecured)).isInstanceOf(JwtResult.Invalid.class);
        assertThat(verify(verifier, unsecuredWithKid)).isInstanceOf(JwtResult.Invalid.class);
        assertThatThrownBy(() -> JwtConfig.of("i", "a", KeySource.Static.of(publicJwks())).withAlgorithms(Set.of("none")))
                .hasMessageContaining("none");
    }

    @Test
    void refusesConfiguredKeysThatCannotVerifyAnAllowedAlgorithm() {
        assertThatThrownBy(() -> verifier(Set.of("RS256"), HMAC.toJSONString())).hasMessageContaining("cannot verify");
    }

    @Test
    void refusesAlgorithmsOutsideTheAllowList() {
        JwtVerifier rsaOnly = verifier(Set.of("RS256"), publicJwks());
        JWTClaimsSet claims = TestKeys.claims(NOW).build();
        assertThat(description(verify(rsaOnly, TestKeys.sign(HMAC, JWSAlgorithm.HS256, claims)))).contains("algorithm");
        assertThat(description(verify(rsaOnly, TestKeys.sign(RSA, JWSAlgorithm.PS256, claims)))).contains("algorithm");
        assertThat(verify(rsaOnly, TestKeys.sign(RSA, JWSAlgorithm.RS256, claims))).isInstanceOf(JwtResult.Valid.class);
    }

    @Test
    void refusesHs256SignedWithTheRsaPublicKey() throws Exception {
        // Both algorithms allowed, only the RSA key known: the classic key-confusion attack must still fail.
        JwtVerifier verifier = verifier(Set.of("RS256", "HS256"), new JWKSet(RSA.toPublicJWK()).toString(), TestKeys.pem(RSA.toPublicKey()));
        JWTClaimsSet claims = TestKeys.claims(NOW).build();
        String header = "{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}";
        String withDer = TestKeys.hs256WithSecret(header, claims, RSA.toPublicKey().getEncoded());
        String withPem = TestKeys.hs256WithSecret(header, claims, TestKeys.pem(RSA.toPublicKey()).getBytes(StandardCharsets.US_ASCII));
        String withJwk = TestKeys.hs256WithSecret(header, claims, RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8));

        assertThat(verify(verifier, withDer)).isInstanceOf(JwtResult.Invalid.class);
        assertThat(verify(verifier, withPem)).isInstanceOf(JwtResult.Invalid.class);
        assertThat(verify(verifier, withJwk)).isInstanceOf(JwtResult.Invalid.class);
    }

    @Test
    void refusesTamperedAndMalformedTokens() {
        JwtVerifier verifier = verifier(ALL, publicJwks());
        String token = TestKeys.sign(RSA, JWSAlgorithm.RS256, TestKeys.claims(NOW).build());
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + Base64URL.encode(TestKeys.claims(NOW).subject("admin").build().toString()) + "." + parts[2];
        String otherKey = TestKeys.sign(TestKeys.rsa("rsa-1"), JWSAlgorithm.RS256, TestKeys.claims(NOW).build());

        assertThat(description(verify(verifier, tampered))).contains("signature");
        assertThat(description(verify(verifier, otherKey))).contains("signature");
        assertThat(description(verify(verifier, "not-a-jwt"))).contains("not a signed JWT");
    }

    @Test
    void verifiesAValidTokenOnceThenServesItFromTheCache() {
        AtomicInteger lookups = new AtomicInteger();
        KeyResolver keys = new StaticKeyResolver(Keys.fromConfig(List.of(publicJwks()), ALL));
        KeyResolver counting = kid -> {
            lookups.incrementAndGet();
            return keys.candidates(kid);
        };
        JwtVerifier verifier = new JwtVerifier(JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, KeySource.Static.of(publicJwks())), counting,
                CLOCK, Identity.Method.JWT);
        String token = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).build());

        var first = verifier.verify(token).toCompletableFuture().join();
        var second = verifier.verify(token);
        var third = verifier.verify(token);

        assertThat(first).isInstanceOf(JwtResult.Valid.class);
        assertThat(second.toCompletableFuture().join()).isSameAs(first);
        assertThat(third).isSameAs(second);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void unknownKidRefreshesTheJwksOnceAndRefreshesAreRateLimited() {
        RSAKey rotated = TestKeys.rsa("rsa-2");
        AtomicReference<String> served = new AtomicReference<>(new JWKSet(RSA.toPublicJWK()).toString());
        AtomicLong ticker = new AtomicLong(1_000_000_000L);
        AtomicInteger fetches = new AtomicInteger();
        KeySource.Jwks source = KeySource.Jwks.of(URI.create("http://idp.invalid/jwks"));
        JwksKeyResolver resolver = new JwksKeyResolver(source, ALL, s -> {
            fetches.incrementAndGet();
            return CompletableFuture.completedFuture(served.get());
        }, ticker::get);
        JwtVerifier verifier = new JwtVerifier(JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, source), resolver, CLOCK, Identity.Method.JWT);
        JWTClaimsSet claims = TestKeys.claims(NOW).build();

        assertThat(verify(verifier, TestKeys.sign(RSA, JWSAlgorithm.RS256, claims))).isInstanceOf(JwtResult.Valid.class);
        assertThat(fetches).hasValue(1);

        served.set(new JWKSet(List.of(RSA.toPublicJWK(), rotated.toPublicJWK())).toString());
        ticker.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(verify(verifier, TestKeys.sign(rotated, JWSAlgorithm.RS256, claims))).isInstanceOf(JwtResult.Valid.class);
        assertThat(fetches).as("one refresh for the unknown kid").hasValue(2);

        String madeUpKid = TestKeys.sign(TestKeys.rsa("made-up"), JWSAlgorithm.RS256, claims);
        for (int i = 0; i < 5; i++) {
            assertThat(description(verify(verifier, madeUpKid))).contains("unknown");
        }
        assertThat(fetches).as("no refresh within 30 s of the last one").hasValue(2);

        ticker.addAndGet(Duration.ofSeconds(31).toNanos());
        verify(verifier, madeUpKid);
        assertThat(fetches).hasValue(3);
    }

    @Test
    void aFirstFetchThatFailedIsRetriedSoonWithBackoffNotAfterTheMinimumInterval() {
        // A router started before the edge whose JWKS it reads: the warm-up fetch fails; tokens later must still verify.
        AtomicLong ticker = new AtomicLong(1_000_000_000L);
        AtomicInteger fetches = new AtomicInteger();
        KeySource.Jwks source = KeySource.Jwks.of(URI.create("http://idp.invalid/jwks"));
        JwksKeyResolver resolver = new JwksKeyResolver(source, ALL, s -> fetches.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new java.net.ConnectException("refused"))
                : CompletableFuture.completedFuture(new JWKSet(RSA.toPublicJWK()).toString()), ticker::get);
        JwtVerifier verifier = new JwtVerifier(JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, source), resolver, CLOCK, Identity.Method.JWT);
        verifier.warmUp().toCompletableFuture().join();
        String token = TestKeys.sign(RSA, JWSAlgorithm.RS256, TestKeys.claims(NOW).build());
        assertThat(fetches).hasValue(1);

        assertThat(description(verify(verifier, token))).contains("unknown");
        assertThat(fetches).as("not retried within a second").hasValue(1);
        ticker.addAndGet(Duration.ofMillis(1_100).toNanos());
        assertThat(verify(verifier, token)).as("retried after a second, not after 30").isInstanceOf(JwtResult.Valid.class);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void concurrentUnknownKidsShareOneFetch() {
        AtomicInteger fetches = new AtomicInteger();
        CompletableFuture<String> pending = new CompletableFuture<>();
        KeySource.Jwks source = KeySource.Jwks.of(URI.create("http://idp.invalid/jwks"));
        JwksKeyResolver resolver = new JwksKeyResolver(source, ALL, s -> {
            fetches.incrementAndGet();
            return pending;
        }, System::nanoTime);
        JwtVerifier verifier = new JwtVerifier(JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, source), resolver, CLOCK, Identity.Method.JWT);
        String token = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).build());

        var first = verifier.verify(token).toCompletableFuture();
        var second = verifier.verify(token).toCompletableFuture();
        assertThat(first).isNotDone();
        assertThat(second).as("one verification in flight per token").isSameAs(first);
        var otherToken = verifier.verify(TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).subject("bob").build())).toCompletableFuture();
        pending.complete(new JWKSet(EC.toPublicJWK()).toString());

        assertThat(first.join()).isInstanceOf(JwtResult.Valid.class);
        assertThat(otherToken.join()).isInstanceOf(JwtResult.Valid.class);
        assertThat(fetches).as("unknown kids share one fetch").hasValue(1);
    }
}
