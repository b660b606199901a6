package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.atrium.policy.Identity;
import io.atrium.policy.identity.AssertionConfig;
import io.atrium.policy.identity.AssertionSigner;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identity over HTTP: a router behind the edge verifies the edge's assertion with keys from a JWKS URL served here
 * (as the edge's admin port does); a standalone router verifies client JWTs and requires one. Forged credentials and
 * bare identity headers are refused with 401 UNAUTHENTICATED.
 */
class IdentityIT {
    private static final Identity ALICE = new Identity("alice", "web-app", Set.of("reviews:read"), Set.of("customer"),
            Map.of("tenant", "acme"), Instant.now().plusSeconds(600), Identity.Method.JWT);
    private static final String TYPENAME_DATA = "{\"data\":{\"__typename\":\"Query\"}}";
    private static HttpServer keys;
    private static AssertionSigner edge;
    private static ECKey issuerKey;
    private static RouterUnderTest behindEdge;
    private static RouterUnderTest standalone;
    private static RouterUnderTest consumerIsClient;
    private static RouterUnderTest eitherCredential;

    @BeforeAll
    static void start() throws Exception {
        edge = AssertionSigner.create(AssertionConfig.DEFAULT);
        issuerKey = new ECKeyGenerator(Curve.P_256).keyID("issuer-1").generate();
        keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve("/edge/jwks.json", edge.jwks());
        serve("/issuer/jwks.json", new JWKSet(issuerKey.toPublicJWK()).toString());
        keys.start();
        String base = "http://127.0.0.1:" + keys.getAddress().getPort();

        behindEdge = RouterUnderTest.start("""
                format_version: 1
                hot_reload: false
                identity:
                  source: edge_assertion
                  edge_assertion: { jwks_url: "%s/edge/jwks.json" }
                """.formatted(base));
        eitherCredential = RouterUnderTest.start("""
                format_version: 1
                hot_reload: false
                identity:
                  source: [edge_assertion, jwt]
                  edge_assertion: { jwks_url: "%s/edge/jwks.json" }
                  jwt: { jwks_url: "%s/issuer/jwks.json", issuers: [https://issuer.test/], audiences: [atrium] }
                """.formatted(base, base));
        consumerIsClient = RouterUnderTest.start("""
                format_version: 1
                hot_reload: false
                identity:
                  source: edge_assertion
                  client: consumer
                  edge_assertion: { jwks_url: "%s/edge/jwks.json" }
                trusted_documents:
                  mode: off
                  clients:
                    web-app: { mode: allow_only_known }
                """.formatted(base));
        standalone = RouterUnderTest.start("""
                format_version: 1
                hot_reload: false
                identity:
                  source: jwt
                  required: true
                  jwt: { jwks_url: "%s/issuer/jwks.json", issuers: [https://issuer.test/], audiences: [atrium] }
                """.formatted(base));
    }

    private static void serve(String path, String body) {
        keys.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @AfterAll
    static void stop() {
        for (RouterUnderTest router : new RouterUnderTest[] {behindEdge, standalone, consumerIsClient, eitherCredential}) {
            if (router != null) {
                router.close();
            }
        }
        if (keys != null) {
            keys.stop(0);
        }
    }

    private static HttpResponse<String> post(RouterUnderTest router, String... headers) throws Exception {
        return router.post(RouterUnderTest.queryBody("{ __typename }"), headers);
    }

    private static void assertUnauthenticated(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"UNAUTHENTICATED\"").doesNotContain("\"data\"");
        assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    private static String jwt(ECKey key, String issuer, String audience) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("bob").issuer(issuer).audience(List.of(audience))
                        .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("scope", "reviews:read").build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void theEdgesAssertionIsAcceptedAndAForgedOneRefused() throws Exception {
        assertThat(post(behindEdge, "x-atrium-assertion", edge.sign(ALICE)).body()).isEqualTo(TYPENAME_DATA);
        AssertionSigner forger = AssertionSigner.create(AssertionConfig.DEFAULT); // same claims, another key
        assertUnauthenticated(post(behindEdge, "x-atrium-assertion", forger.sign(ALICE)));
        assertUnauthenticated(post(behindEdge, "x-atrium-assertion", "not-a-jws"));
    }

    @Test
    void bareIdentityHeadersAreNeverTrusted() throws Exception {
        assertUnauthenticated(post(behindEdge, "x-atrium-subject", "alice", "x-atrium-scopes", "admin"));
        assertUnauthenticated(post(standalone, "authorization", "Bearer " + jwt(issuerKey, "https://issuer.test/", "atrium"),
                "x-atrium-subject", "alice"));
    }

    @Test
    void withoutACredentialTheCallerIsAnonymousUnlessOneIsRequired() throws Exception {
        assertThat(post(behindEdge).body()).isEqualTo(TYPENAME_DATA);
        assertUnauthenticated(post(standalone));
    }

    @Test
    void aStandaloneRouterVerifiesClientJwtsIssuerAudienceAndKey() throws Exception {
        assertThat(post(standalone, "authorization", "Bearer " + jwt(issuerKey, "https://issuer.test/", "atrium")).body())
                .isEqualTo(TYPENAME_DATA);
        assertUnauthenticated(post(standalone, "authorization", "Bearer " + jwt(issuerKey, "https://issuer.test/", "other")));
        assertUnauthenticated(post(standalone, "authorization", "Bearer " + jwt(issuerKey, "https://evil.test/", "atrium")));
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("issuer-1").generate();
        assertUnauthenticated(post(standalone, "authorization", "Bearer " + jwt(other, "https://issuer.test/", "atrium")));
    }

    @Test
    void withClientFromConsumerTheAssertionsConsumerIsTheClientWhateverTheHeaderSays() throws Exception {
        // alice calls through the app 'web-app', which may only run trusted documents (none here)
        HttpResponse<String> refused = post(consumerIsClient, "x-atrium-assertion", edge.sign(ALICE),
                "apollographql-client-name", "someone-else");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("QUERY_NOT_IN_SAFELIST");
        assertThat(post(behindEdge, "x-atrium-assertion", edge.sign(ALICE), "apollographql-client-name", "someone-else")
                .body()).as("by default the header names the client").isEqualTo(TYPENAME_DATA);
        assertThat(post(consumerIsClient, "apollographql-client-name", "someone-else").body())
                .as("an anonymous caller is named by its header").isEqualTo(TYPENAME_DATA);
    }

    @Test
    void aRouterBehindTheEdgeAndABffTakesEitherCredential() throws Exception {
        assertThat(post(eitherCredential, "x-atrium-assertion", edge.sign(ALICE)).body()).isEqualTo(TYPENAME_DATA);
        assertThat(post(eitherCredential, "authorization", "Bearer " + jwt(issuerKey, "https://issuer.test/", "atrium"))
                .body()).as("a BFF forwarding its user's access token").isEqualTo(TYPENAME_DATA);
        assertUnauthenticated(post(eitherCredential, "authorization", "Bearer "
                + jwt(issuerKey, "https://issuer.test/", "other")));
        assertUnauthenticated(post(eitherCredential, "x-atrium-assertion",
                AssertionSigner.create(AssertionConfig.DEFAULT).sign(ALICE)));
        assertUnauthenticated(post(eitherCredential, "authorization", "Bearer " + jwt(issuerKey, "https://issuer.test/",
                "atrium"), "x-atrium-subject", "alice"));
        assertThat(post(eitherCredential).body()).as("anonymous").isEqualTo(TYPENAME_DATA);
    }
}
