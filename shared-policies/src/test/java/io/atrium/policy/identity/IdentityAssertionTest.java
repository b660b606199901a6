package io.atrium.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.atrium.policy.Decision;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.Identity;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.TestRequest;
import io.atrium.policy.auth.JwtResult;
import io.atrium.policy.auth.KeySource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityAssertionTest {

    private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Identity ALICE = new Identity("alice", "web-app", Set.of("orders:write", "orders:read"), Set.of("customer"),
            Map.of("tenant", "acme"), NOW.plusSeconds(600), Identity.Method.JWT);

    private final AssertionSigner signer = AssertionSigner.create(AssertionConfig.DEFAULT, CLOCK);
    private final AssertionVerifier verifier = AssertionVerifier.create(
            new AssertionVerifier.Config(null, null, KeySource.Static.of(signer.jwks()), null), null, CLOCK);

    private static String value(List<HttpHeader> headers, String name) {
        return headers.stream().filter(h -> h.name().equals(name)).map(HttpHeader::value).findFirst().orElse(null);
    }

    @Test
    void assertionRoundTrips() throws Exception {
        String assertion = signer.sign(ALICE);

        SignedJWT jwt = SignedJWT.parse(assertion);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("atrium-edge");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("atrium-internal");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(60));

        JwtResult result = verifier.verify(assertion).toCompletableFuture().join();
        assertThat(result).isInstanceOfSatisfying(JwtResult.Valid.class, valid -> {
            Identity identity = valid.identity();
            assertThat(identity.subject()).isEqualTo("alice");
            assertThat(identity.consumer()).isEqualTo("web-app");
            assertThat(identity.scopes()).isEqualTo(ALICE.scopes());
            assertThat(identity.roles()).isEqualTo(ALICE.roles());
            assertThat(identity.claims()).isEqualTo(ALICE.claims());
            assertThat(identity.method()).isEqualTo(Identity.Method.ASSERTION);
        });
    }

    @Test
    void assertionNeverOutlivesTheCredential() throws Exception {
        Identity shortLived = new Identity("bob", null, Set.of(), Set.of(), Map.of(), NOW.plusSeconds(10), Identity.Method.JWT);
        SignedJWT jwt = SignedJWT.parse(signer.sign(shortLived));
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(10));
    }

    @Test
    void signsOncePerIdentityWhileFresh() {
        List<HttpHeader> first = signer.upstreamHeaders(ALICE);
        List<HttpHeader> second = signer.upstreamHeaders(ALICE);
        assertThat(second).isSameAs(first);
        assertThat(value(first, IdentityHeaders.SUBJECT)).isEqualTo("alice");
        assertThat(value(first, IdentityHeaders.CONSUMER)).isEqualTo("web-app");
        assertThat(value(first, IdentityHeaders.SCOPES)).isEqualTo("orders:read orders:write");
        assertThat(value(first, IdentityHeaders.ASSERTION)).isNotBlank();
    }

    @Test
    void verifierRejectsAssertionsOfAnotherSignerOrAudience() {
        AssertionSigner impostor = AssertionSigner.create(AssertionConfig.DEFAULT, CLOCK);
        AssertionSigner otherAudience = AssertionSigner.create(new AssertionConfig(null, "someone-else", null, null, 0), CLOCK);
        AssertionVerifier trustsBoth = AssertionVerifier.create(
                new AssertionVerifier.Config(null, null, KeySource.Static.of(signer.jwks(), otherAudience.jwks()), null), null, CLOCK);

        assertThat(verifier.verify(impostor.sign(ALICE)).toCompletableFuture().join()).isInstanceOf(JwtResult.Invalid.class);
        assertThat(trustsBoth.verify(otherAudience.sign(ALICE)).toCompletableFuture().join()).isInstanceOf(JwtResult.Invalid.class);
    }

    @Test
    void expiredAssertionsAreRejected() {
        String assertion = signer.sign(ALICE);
        Clock later = Clock.fixed(NOW.plusSeconds(120), ZoneOffset.UTC);
        AssertionVerifier laterVerifier = AssertionVerifier.create(
                new AssertionVerifier.Config(null, null, KeySource.Static.of(signer.jwks()), Duration.ofSeconds(5)), null, later);
        assertThat(laterVerifier.verify(assertion).toCompletableFuture().join()).isInstanceOf(JwtResult.Invalid.class);
    }

    @Test
    void aGeneratedKeySharedByTwoEdgesVerifiesWithEitherOnesJwks() throws Exception {
        String key = SigningKeys.newKey().toJSONString();
        AssertionSigner first = AssertionSigner.create(new AssertionConfig(null, null, null, key, 0), CLOCK);
        AssertionSigner second = AssertionSigner.create(new AssertionConfig(null, null, null, key, 0), CLOCK);
        AssertionVerifier trustsFirst = AssertionVerifier.create(
                new AssertionVerifier.Config(null, null, KeySource.Static.of(first.jwks()), null), null, CLOCK);
        assertThat(trustsFirst.verify(second.sign(ALICE)).toCompletableFuture().join()).isInstanceOf(JwtResult.Valid.class);
        assertThat(SigningKeys.newKey().getKeyID()).isNotEqualTo(ECKey.parse(key).getKeyID());
        assertThat(signer.jwks()).as("a key of its own per edge otherwise").doesNotContain(ECKey.parse(key).getKeyID());
    }

    @Test
    void configuredSigningKeyIsUsedAndPublished() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("edge-2026").generate();
        AssertionSigner configured = AssertionSigner.create(new AssertionConfig(null, null, null, key.toJSONString(), 0), CLOCK);
        assertThat(SignedJWT.parse(configured.sign(ALICE)).getHeader().getKeyID()).isEqualTo("edge-2026");
        assertThat(configured.jwks()).contains("edge-2026").doesNotContain("\"d\"");
        assertThatThrownBy(() -> AssertionSigner.create(new AssertionConfig(null, null, null, key.toPublicJWK().toJSONString(), 0)))
                .hasMessageContaining("private EC P-256");
    }

    @Test
    void propagationPolicyAddsTheHeadersOfTheEstablishedIdentity() {
        IdentityPropagationPolicy policy = new IdentityPropagationPolicy(signer);
        PolicyContext anonymous = TestRequest.get("/x").context();
        Decision none = policy.evaluate(anonymous).toCompletableFuture().join();
        Decision some = policy.evaluate(anonymous.withIdentity(ALICE)).toCompletableFuture().join();

        assertThat(none.outcome()).isEqualTo("anonymous");
        assertThat(((Decision.Continue) none).upstreamHeaders()).isEmpty();
        assertThat(((Decision.Continue) some).upstreamHeaders()).isSameAs(signer.upstreamHeaders(ALICE));
    }

    @Test
    void servicesAcceptAssertedIdentityAndRefuseBareHeaders() {
        AssertionPolicy optional = new AssertionPolicy(verifier, false);
        AssertionPolicy required = new AssertionPolicy(verifier, true);
        String assertion = signer.sign(ALICE);

        Decision asserted = optional.evaluate(TestRequest.get("/graphql").header(IdentityHeaders.ASSERTION, assertion)
                .header(IdentityHeaders.SUBJECT, "mallory").context()).toCompletableFuture().join();
        Decision bare = optional.evaluate(TestRequest.get("/graphql").header("x-atrium-subject", "mallory").context())
                .toCompletableFuture().join();
        Decision forged = optional.evaluate(TestRequest.get("/graphql").header(IdentityHeaders.ASSERTION, assertion + "x").context())
                .toCompletableFuture().join();
        Decision anonymous = optional.evaluate(TestRequest.get("/graphql").context()).toCompletableFuture().join();
        Decision missing = required.evaluate(TestRequest.get("/graphql").context()).toCompletableFuture().join();

        assertThat(asserted).isInstanceOfSatisfying(Decision.Continue.class,
                c -> assertThat(c.identity().subject()).as("the assertion wins over headers").isEqualTo("alice"));
        assertThat(bare).isInstanceOfSatisfying(Decision.Reply.class, r -> assertThat(r.status()).isEqualTo(401));
        assertThat(bare.outcome()).isEqualTo("unasserted_headers");
        assertThat(forged.outcome()).isEqualTo("invalid_assertion");
        assertThat(anonymous).isInstanceOf(Decision.Continue.class);
        assertThat(missing.outcome()).isEqualTo("missing_assertion");
    }

    @Test
    void internalHeadersAreRecognisedCaseInsensitively() {
        assertThat(IdentityHeaders.isInternal("X-Atrium-Subject")).isTrue();
        assertThat(IdentityHeaders.isInternal("x-atrium-anything")).isTrue();
        assertThat(IdentityHeaders.isInternal("X-ATRIUM-ASSERTION")).isTrue();
        assertThat(IdentityHeaders.isInternal("X-Atrium")).isFalse();
        assertThat(IdentityHeaders.isInternal("X-Forwarded-For")).isFalse();
        assertThat(IdentityHeaders.headerSafe("a\r\nb")).isEqualTo("a??b");
    }

    @Test
    void stripsInternalHeadersFromMicronautHeaders() {
        var request = io.micronaut.http.HttpRequest.GET("/x")
                .header("X-Atrium-Subject", "mallory")
                .header("x-atrium-assertion", "forged")
                .header("Accept", "application/json");
        IdentityHeaders.strip(request.getHeaders());
        assertThat(request.getHeaders().names()).containsExactly("Accept");
    }
}
