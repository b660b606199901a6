package io.atrium.policy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.sun.net.httpserver.HttpServer;
import io.atrium.policy.Identity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * JWT attacks beyond {@link JwtVerifierTest}'s (alg none, RS→HS confusion, tampering): a {@code kid} that is a path
 * or SQL, keys offered by the token itself ({@code jku}, {@code x5u}, an embedded {@code jwk}) — never fetched,
 * never trusted —, unknown critical headers, an oversized token and duplicated claims. Each is refused.
 */
class JwtAttacksTest {
    private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
    private static final RSAKey TRUSTED = TestKeys.rsa("rsa-1");
    private static final RSAKey ATTACKER = TestKeys.rsa("rsa-1");

    private static JwtVerifier verifier() {
        JwtConfig config = JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE,
                KeySource.Static.of(new JWKSet(TRUSTED.toPublicJWK()).toString())).withAlgorithms(Set.of("RS256"));
        return JwtVerifier.create(config, null, Clock.fixed(NOW, ZoneOffset.UTC), Identity.Method.JWT);
    }

    private static JwtResult verify(String token) {
        return verifier().verify(token).toCompletableFuture().join();
    }

    private static String claims() {
        return TestKeys.claims(NOW).build().toString();
    }

    /** A compact RS256 JWS over exactly these header and payload bytes. */
    private static String rs256(RSAKey key, String header, String payload) {
        try {
            String input = Base64URL.encode(header) + "." + Base64URL.encode(payload);
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.toPrivateKey());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64URL.encode(signature.sign());
        } catch (GeneralSecurityException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTrustedKeyStillVerifies() {
        assertThat(verify(rs256(TRUSTED, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", claims()))).isInstanceOf(JwtResult.Valid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../../../../../dev/null", "/etc/passwd", "' OR '1'='1", "rsa-1' --", "rsa-1\\u0000",
            "rsa-1/../rsa-1", "http://attacker.example/key", ""})
    void aKidThatIsAPathOrSqlFindsNoKeyOfItsOwn(String kid) {
        String header = "{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}";
        assertThat(verify(rs256(ATTACKER, header, claims()))).isInstanceOf(JwtResult.Invalid.class);
    }

    @Test
    void keysTheTokenOffersAreNeverFetchedNorTrusted() throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] jwks = new JWKSet(ATTACKER.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        attacker.createContext("/", exchange -> {
            fetched.incrementAndGet();
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        attacker.start();
        try {
            String url = "http://127.0.0.1:" + attacker.getAddress().getPort() + "/jwks.json";
            for (String header : List.of(
                    "{\"alg\":\"RS256\",\"kid\":\"attacker\",\"jku\":\"" + url + "\"}",
                    "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jku\":\"" + url + "\"}",
                    "{\"alg\":\"RS256\",\"x5u\":\"" + url + "\"}",
                    "{\"alg\":\"RS256\",\"jwk\":" + ATTACKER.toPublicJWK().toJSONString() + "}")) {
                assertThat(verify(rs256(ATTACKER, header, claims()))).as(header).isInstanceOf(JwtResult.Invalid.class);
            }
        } finally {
            attacker.stop(0);
        }
        assertThat(fetched).as("the verifier never calls a URL a token names").hasValue(0);
    }

    @Test
    void aHeaderOrPayloadThatIsJsonNullIsRefusedNotAnException() {
        // found by JwtParserFuzz: Nimbus throws a NullPointerException parsing a header that is the literal null
        assertThat(verify(Base64URL.encode("null") + "." + Base64URL.encode(claims()) + ".c2ln")).isInstanceOf(JwtResult.Invalid.class);
        assertThat(verify(rs256(TRUSTED, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", "null"))).isInstanceOf(JwtResult.Invalid.class);
    }

    @Test
    void anUnknownCriticalHeaderIsRefusedEvenWithAGoodSignature() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp-check-skip\"],\"exp-check-skip\":true}";
        assertThat(verify(rs256(TRUSTED, header, claims()))).isInstanceOf(JwtResult.Invalid.class);
    }

    @Test
    void anOversizedTokenIsRefusedWithoutVerifyingIt() {
        String payload = claims().replace("}", ",\"pad\":\"" + "A".repeat(64 * 1024) + "\"}");
        JwtResult result = verify(rs256(TRUSTED, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", payload));
        assertThat(result).isInstanceOf(JwtResult.Invalid.class);
        assertThat(((JwtResult.Invalid) result).description()).contains("too large");
    }

    @Test
    void duplicatedClaimsAreRefusedSinceParsersDisagreeOnWhichOneWins() {
        String payload = claims().replace("{", "{\"sub\":\"admin\",");
        assertThat(payload).containsSubsequence("\"sub\":\"admin\"", "\"sub\":\"alice\"");
        assertThat(verify(rs256(TRUSTED, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", payload))).isInstanceOf(JwtResult.Invalid.class);
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"alg\":\"none\"}";
        assertThat(verify(rs256(TRUSTED, header, claims()))).isInstanceOf(JwtResult.Invalid.class);
    }
}
