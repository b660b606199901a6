package io.atrium.policy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.atrium.policy.Decision;
import io.atrium.policy.TestRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWT verification against a JWKS document served by a real HTTP server on loopback. */
class JwksIT {

    private static final RSAKey RSA = TestKeys.rsa("rsa-1");
    private static final ECKey EC = TestKeys.ec("ec-1");

    private final AtomicReference<String> document = new AtomicReference<>(new JWKSet(RSA.toPublicJWK()).toString());
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            requests.incrementAndGet();
            byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        http.close();
    }

    private KeySource.Jwks source(Duration minimumRefreshInterval) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
        return new KeySource.Jwks(url, null, minimumRefreshInterval, Duration.ofSeconds(2));
    }

    private static JwtResult verify(JwtVerifier verifier, String token) {
        return verifier.verify(token).toCompletableFuture().join();
    }

    @Test
    void fetchesKeysAndPicksUpRotatedKeysOnUnknownKid() {
        JwtVerifier verifier = JwtVerifier.create(JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, source(Duration.ZERO)), http);
        verifier.warmUp().toCompletableFuture().join();
        assertThat(requests).hasValue(1);

        String rsaToken = TestKeys.sign(RSA, JWSAlgorithm.RS256, TestKeys.claims(Instant.now()).build());
        assertThat(verify(verifier, rsaToken)).isInstanceOf(JwtResult.Valid.class);
        assertThat(requests).as("known kid: no fetch").hasValue(1);

        document.set(new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString());
        String ecToken = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(Instant.now()).build());
        assertThat(verify(verifier, ecToken)).isInstanceOf(JwtResult.Valid.class);
        assertThat(requests).as("unknown kid: one refresh").hasValue(2);
    }

    @Test
    void unknownKidsCannotHammerTheIdentityProvider() {
        JwtVerifier verifier = JwtVerifier.create(JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, source(Duration.ofSeconds(30))), http);
        verifier.warmUp().toCompletableFuture().join();
        for (int i = 0; i < 20; i++) {
            String token = TestKeys.sign(TestKeys.ec("made-up-" + i), JWSAlgorithm.ES256, TestKeys.claims(Instant.now()).build());
            assertThat(verify(verifier, token)).isInstanceOf(JwtResult.Invalid.class);
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void aFailingJwksEndpointKeepsTheKnownKeys() {
        JwtVerifier verifier = JwtVerifier.create(JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, source(Duration.ZERO)), http);
        verifier.warmUp().toCompletableFuture().join();
        status.set(500);
        String unknown = TestKeys.sign(EC, JWSAlgorithm.ES256, TestKeys.claims(Instant.now()).build());
        assertThat(verify(verifier, unknown)).isInstanceOf(JwtResult.Invalid.class);
        assertThat(requests).hasValue(2);

        String known = TestKeys.sign(RSA, JWSAlgorithm.RS256, TestKeys.claims(Instant.now()).build());
        assertThat(verify(verifier, known)).isInstanceOf(JwtResult.Valid.class);
    }

    @Test
    void authPolicyOverJwks() {
        JwtVerifier verifier = JwtVerifier.create(JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, source(Duration.ZERO)), http);
        AuthPolicy policy = new Authenticators(verifier, null, null).forRoute(RouteAccess.authenticated());
        String token = TestKeys.sign(RSA, JWSAlgorithm.PS256, TestKeys.claims(Instant.now()).build());

        Decision decision = policy.evaluate(TestRequest.get("/orders").header("Authorization", "Bearer " + token).context())
                .toCompletableFuture().join();

        assertThat(decision).isInstanceOf(Decision.Continue.class);
        assertThat(((Decision.Continue) decision).identity().subject()).isEqualTo("alice");
    }
}
