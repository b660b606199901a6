package io.atrium.policy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.atrium.policy.Decision;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.Identity;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.TestRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
    private static final ECKey EC = TestKeys.ec("ec-1");
    private static final String PARTNER_KEY = "k3y-for-partner-0001";

    private final JwtVerifier jwt = JwtVerifier.create(
            JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, KeySource.Static.of(new JWKSet(EC.toPublicJWK()).toString())),
            null, Clock.fixed(NOW, ZoneOffset.UTC), Identity.Method.JWT);
    private final ApiKeyAuthenticator apiKeys = new ApiKeyAuthenticator(new ApiKeyConfig(null, "api_key", List.of(
            new ApiKeyConfig.Consumer("partner", ApiKeyAuthenticator.digestHex(PARTNER_KEY), Set.of("orders:read"), Set.of()),
            new ApiKeyConfig.Consumer("batch", ApiKeyAuthenticator.digestHex("another-key"), Set.of(), Set.of("admin")))));
    private final Authenticators authenticators = new Authenticators(jwt, apiKeys, null);

    private static Decision decide(AuthPolicy policy, TestRequest request) {
        return policy.evaluate(request.context()).toCompletableFuture().join();
    }

    private static String bearer(String scope) {
        return "Bearer " + TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW).claim("scope", scope).build());
    }

    private static String header(Decision decision, String name) {
        List<HttpHeader> headers = decision instanceof Decision.Reply reply ? reply.headers() : ((Decision.Continue) decision).responseHeaders();
        return headers.stream().filter(h -> h.name().equals(name)).map(HttpHeader::value).findFirst().orElse(null);
    }

    @Test
    void validBearerTokenEstablishesTheIdentity() {
        AuthPolicy policy = authenticators.forRoute(RouteAccess.authenticated());
        Decision decision = decide(policy, TestRequest.get("/orders").header("authorization", bearer("orders:read")));

        assertThat(decision).isInstanceOf(Decision.Continue.class);
        assertThat(decision.outcome()).isEqualTo("authenticated");
        assertThat(((Decision.Continue) decision).identity().subject()).isEqualTo("alice");
    }

    @Test
    void missingCredentialsAnswer401WithAChallenge() {
        Decision decision = decide(authenticators.forRoute(RouteAccess.authenticated()), TestRequest.get("/orders"));

        assertThat(decision).isInstanceOfSatisfying(Decision.Reply.class, reply -> {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.outcome()).isEqualTo("missing_credentials");
            assertThat(reply.problem().code()).isEqualTo("UNAUTHENTICATED");
            assertThat(reply.problem().instance()).isEqualTo("/orders");
            assertThat(reply.problem().requestId()).isEqualTo("req-1");
        });
        assertThat(header(decision, "WWW-Authenticate")).isEqualTo("Bearer realm=\"atrium\"");
    }

    @Test
    void invalidTokenAnswers401InvalidToken() {
        String expired = "Bearer " + TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(NOW.minusSeconds(3600)).build());
        Decision decision = decide(authenticators.forRoute(RouteAccess.authenticated()), TestRequest.get("/orders").header("Authorization", expired));

        assertThat(decision).isInstanceOf(Decision.Reply.class);
        assertThat(((Decision.Reply) decision).status()).isEqualTo(401);
        assertThat(decision.outcome()).isEqualTo("invalid_token");
        assertThat(header(decision, "WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"atrium\", error=\"invalid_token\", error_description=\"The token has expired.\"");
    }

    @Test
    void missingScopeOrRoleAnswers403InsufficientScope() {
        AuthPolicy policy = authenticators.forRoute(RouteAccess.requiring(Set.of("orders:write"), Set.of()));
        Decision readOnly = decide(policy, TestRequest.get("/orders").header("Authorization", bearer("orders:read")));
        Decision readWrite = decide(policy, TestRequest.get("/orders").header("Authorization", bearer("orders:read orders:write")));
        Decision noRole = decide(authenticators.forRoute(RouteAccess.requiring(Set.of(), Set.of("admin"))),
                TestRequest.get("/orders").header("Authorization", bearer("orders:read")));

        assertThat(readOnly).isInstanceOf(Decision.Reply.class);
        assertThat(((Decision.Reply) readOnly).status()).isEqualTo(403);
        assertThat(readOnly.outcome()).isEqualTo("insufficient_scope");
        assertThat(header(readOnly, "WWW-Authenticate")).startsWith("Bearer realm=\"atrium\", error=\"insufficient_scope\"")
                .endsWith("scope=\"orders:write\"");
        assertThat(readWrite).isInstanceOf(Decision.Continue.class);
        assertThat(noRole).isInstanceOf(Decision.Reply.class);
        assertThat(((Decision.Reply) noRole).status()).isEqualTo(403);
    }

    @Test
    void apiKeyFromHeaderOrQueryParameter() {
        AuthPolicy policy = authenticators.forRoute(RouteAccess.authenticated());
        Decision byHeader = decide(policy, TestRequest.get("/orders").header("x-api-key", PARTNER_KEY));
        Decision byQuery = decide(policy, TestRequest.get("/orders").query("page=2&api_key=" + PARTNER_KEY));
        Decision wrong = decide(policy, TestRequest.get("/orders").header("X-API-Key", PARTNER_KEY + "x"));

        assertThat(byHeader).isInstanceOfSatisfying(Decision.Continue.class, c -> {
            assertThat(c.identity().consumer()).isEqualTo("partner");
            assertThat(c.identity().subject()).isEqualTo("partner");
            assertThat(c.identity().scopes()).containsExactly("orders:read");
            assertThat(c.identity().method()).isEqualTo(Identity.Method.API_KEY);
        });
        assertThat(byQuery).isInstanceOf(Decision.Continue.class);
        assertThat(wrong).isInstanceOf(Decision.Reply.class);
        assertThat(wrong.outcome()).isEqualTo("invalid_api_key");
    }

    @Test
    void apiKeyConsumersAreCheckedForScopesToo() {
        AuthPolicy policy = authenticators.forRoute(RouteAccess.requiring(Set.of("orders:write"), Set.of()));
        Decision decision = decide(policy, TestRequest.get("/orders").header("X-API-Key", PARTNER_KEY));
        assertThat(((Decision.Reply) decision).status()).isEqualTo(403);
    }

    @Test
    void routesOnlyAcceptTheirCredentialKinds() {
        AuthPolicy jwtOnly = authenticators.forRoute(new RouteAccess.Authenticated(Set.of(RouteAccess.Credential.JWT), null, null));
        Decision decision = decide(jwtOnly, TestRequest.get("/orders").header("X-API-Key", PARTNER_KEY));
        assertThat(decision.outcome()).isEqualTo("missing_credentials");
    }

    @Test
    void publicRoutesAreAnExplicitChoice() {
        Decision decision = decide(authenticators.forRoute(RouteAccess.publicRoute()), TestRequest.get("/health"));
        assertThat(decision).isInstanceOf(Decision.Continue.class);
        assertThat(decision.outcome()).isEqualTo("public");
        assertThat(((Decision.Continue) decision).identity()).isNull();

        Authenticators none = new Authenticators(null, null, null);
        assertThatThrownBy(() -> none.forRoute(RouteAccess.authenticated())).hasMessageContaining("public explicitly");
    }

    @Test
    void errorDescriptionsCannotInjectIntoTheChallenge() {
        Authenticators custom = new Authenticators(jwt, apiKeys, "shop");
        Decision decision = decide(custom.forRoute(RouteAccess.authenticated()), TestRequest.get("/x").header("Authorization", "Bearer a\"b\r\n.c.d"));
        assertThat(header(decision, "WWW-Authenticate")).startsWith("Bearer realm=\"shop\", error=\"invalid_token\"")
                .doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        assertThat(AuthPolicy.bearerToken("bearer abc")).isEqualTo("abc");
        assertThat(AuthPolicy.bearerToken("BEARER  abc ")).isEqualTo("abc");
        assertThat(AuthPolicy.bearerToken("Basic abc")).isNull();
        assertThat(AuthPolicy.bearerToken("Bearer ")).isNull();
    }

    @Test
    void apiKeyConfigIsValidated() {
        assertThatThrownBy(() -> new ApiKeyConfig.Consumer("x", "not-hex", null, null)).hasMessageContaining("64 hex");
        String digest = ApiKeyAuthenticator.digestHex("same");
        assertThatThrownBy(() -> new ApiKeyConfig(null, null, List.of(
                new ApiKeyConfig.Consumer("a", digest, null, null), new ApiKeyConfig.Consumer("b", digest, null, null))))
                .hasMessageContaining("same key");
        assertThat(ApiKeyAuthenticator.digestHex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void contextIdentityIsCarriedForward() {
        PolicyContext context = TestRequest.get("/x").context();
        assertThat(context.withIdentity(null)).isSameAs(context);
    }
}
