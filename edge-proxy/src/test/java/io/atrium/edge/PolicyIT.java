package io.atrium.edge;

import com.nimbusds.jwt.JWTClaimsSet;
import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.TestUpstream;
import io.atrium.edge.testing.TokenIssuer;
import io.atrium.policy.Identity;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import io.atrium.policy.auth.JwtResult;
import io.atrium.policy.auth.KeySource;
import io.atrium.policy.identity.AssertionVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy chain in the data path over real HTTP/1.1: JWT (real JWKS), API keys, identity propagation, rate limits. */
class PolicyIT {

    private static final String PARTNER_KEY = "partner-a-secret-key-0123456789";

    private static TokenIssuer issuer;
    private static TestUpstream upstream;
    private static Edge edge;
    private static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        issuer = new TokenIssuer();
        upstream = new TestUpstream();
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                auth:
                  jwt:
                    issuers: [ "%s" ]
                    audiences: [ "%s" ]
                    jwks_url: %s
                  api_keys:
                    consumers:
                      - { name: partner-a, key_sha256: "%s", scopes: [ "orders:read" ] }
                rate_limit:
                  key: consumer
                clusters:
                  echo:
                    endpoints: [ "%s" ]
                routes:
                  - name: orders
                    match: { path_prefix: /orders }
                    cluster: echo
                    auth: { required_scopes: [ "orders:read" ] }
                  - name: admin
                    match: { path_prefix: /admin }
                    cluster: echo
                    auth: { required_scopes: [ "orders:admin" ] }
                  - name: keys-only
                    match: { path_prefix: /partner }
                    cluster: echo
                    auth: { credentials: [ api_key ] }
                  - name: limited
                    match: { path_prefix: /limited }
                    cluster: echo
                    auth: { public: true }
                    rate_limit: { key: route, limits: [ { requests: 3, period: 1m } ] }
                  - name: report-only
                    match: { path_prefix: /report }
                    cluster: echo
                    auth: { enforce: false }
                  - name: public
                    match: { path_prefix: /pub }
                    cluster: echo
                    auth: { public: true }
                """.formatted(TokenIssuer.ISSUER, TokenIssuer.AUDIENCE, issuer.jwksUrl(), ApiKeyAuthenticator.digestHex(PARTNER_KEY),
                upstream.url()));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws IOException {
        edge.close();
        upstream.close();
        issuer.close();
        http.close();
    }

    @BeforeEach
    void clear() {
        upstream.clear();
    }

    @Test
    void missingCredentialsGet401WithAChallengeAndNeverReachTheUpstream() throws Exception {
        HttpResponse<String> response = send(get("/orders/1"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer realm=\"atrium\""));
        assertThat(response.body()).contains("\"code\":\"UNAUTHENTICATED\"").contains("\"instance\":\"/orders/1\"");
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void validJwtPassesAndTheUpstreamGetsAVerifiableAssertionInsteadOfSpoofedHeaders() throws Exception {
        String token = issuer.token("user-42", "orders:read profile");
        HttpResponse<String> response = send(get("/orders/1").header("Authorization", "Bearer " + token)
                .header("X-Atrium-Subject", "admin").header("x-atrium-roles", "root"));

        assertThat(response.statusCode()).isEqualTo(200);
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.header("x-atrium-subject")).isEqualTo("user-42");
        assertThat(seen.header("x-atrium-consumer")).isEqualTo("web-app");
        assertThat(seen.header("x-atrium-scopes")).contains("orders:read");
        assertThat(seen.header("x-atrium-roles")).isNull();
        assertThat(seen.header("authorization")).as("the verified token stays at the edge").isNull();

        // The upstream's side: verify the assertion against the edge's published JWKS (admin port).
        AssertionVerifier verifier = AssertionVerifier.create(new AssertionVerifier.Config(null, null,
                KeySource.Jwks.of(URI.create("http://127.0.0.1:" + edge.adminPort() + "/.well-known/jwks.json")), null), http);
        JwtResult result = verifier.verify(seen.header("x-atrium-assertion")).toCompletableFuture().get();
        assertThat(result).isInstanceOf(JwtResult.Valid.class);
        Identity identity = ((JwtResult.Valid) result).identity();
        assertThat(identity.subject()).isEqualTo("user-42");
        assertThat(identity.scopes()).contains("orders:read");
    }

    @Test
    void spoofedInternalHeadersAreStrippedOnPublicRoutesToo() throws Exception {
        HttpResponse<String> response = send(get("/pub/x").header("X-Atrium-Subject", "admin").header("X-Atrium-Assertion", "forged"));

        assertThat(response.statusCode()).isEqualTo(200);
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.headers().keySet()).noneMatch(name -> name.startsWith("x-atrium-"));
    }

    @Test
    void missingScopeGets403AndInvalidTokensGet401() throws Exception {
        HttpResponse<String> forbidden = send(get("/admin/x").header("Authorization", "Bearer " + issuer.token("user-42", "orders:read")));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("\"code\":\"FORBIDDEN\"");
        assertThat(forbidden.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).contains("error=\"insufficient_scope\""));

        String expired = issuer.token(new JWTClaimsSet.Builder().issuer(TokenIssuer.ISSUER).audience(TokenIssuer.AUDIENCE).subject("u")
                .claim("scope", "orders:read").expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());
        HttpResponse<String> invalid = send(get("/orders/1").header("Authorization", "Bearer " + expired));
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(invalid.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).contains("error=\"invalid_token\""));

        HttpResponse<String> garbage = send(get("/orders/1").header("Authorization", "Bearer not.a.jwt"));
        assertThat(garbage.statusCode()).isEqualTo(401);
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void apiKeysAuthenticateTheirConsumer() throws Exception {
        HttpResponse<String> ok = send(get("/partner/x").header("X-API-Key", PARTNER_KEY));
        assertThat(ok.statusCode()).isEqualTo(200);
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.header("x-atrium-consumer")).isEqualTo("partner-a");
        assertThat(seen.header("x-atrium-assertion")).isNotBlank();

        HttpResponse<String> wrong = send(get("/partner/x").header("X-API-Key", "wrong"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"code\":\"UNAUTHENTICATED\"");

        HttpResponse<String> jwtOnKeyRoute = send(get("/partner/x").header("Authorization", "Bearer " + issuer.token("u", "orders:read")));
        assertThat(jwtOnKeyRoute.statusCode()).as("a route accepting API keys only ignores bearer tokens").isEqualTo(401);
        assertThat(jwtOnKeyRoute.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("ApiKey"));
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void rateLimitAnswers429WithRetryAfterAndTheUpstreamSeesOnlyAllowedRequests() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> allowed = send(get("/limited/x"));
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("ratelimit-limit")).hasValue("3");
            assertThat(allowed.headers().firstValue("ratelimit-remaining")).hasValue(Integer.toString(2 - i));
        }
        HttpResponse<String> limited = send(get("/limited/x"));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("\"code\":\"RATE_LIMITED\"");
        assertThat(limited.headers().firstValue("retry-after")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(limited.headers().firstValue("ratelimit-remaining")).hasValue("0");
        for (int i = 0; i < 3; i++) {
            upstream.takeRequest();
        }
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void reportOnlyAuthLetsRequestsThroughAndCountsWhatItWouldHaveRefused() throws Exception {
        HttpResponse<String> response = send(get("/report/x"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest().header("x-atrium-subject")).isNull();
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("atrium_policy_auth_missing_credentials_total\\{enforced=\"false\",route=\"report-only\"\\} [1-9]");
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(edge.url() + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
