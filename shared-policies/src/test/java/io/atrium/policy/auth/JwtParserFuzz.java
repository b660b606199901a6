package io.atrium.policy.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.atrium.policy.Identity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * The JWT verifier on hostile tokens: random text, and compact JWSs whose header and payload JSON come from the
 * fuzzer (any algorithm, kid, crit, jku, claims). Every input gets a verdict without an exception, and nothing the
 * fuzzer writes is ever Valid, since it cannot sign with the trusted key.
 */
class JwtParserFuzz {
    private static final RSAKey TRUSTED = TestKeys.rsa("rsa-1");
    private static final JwtVerifier VERIFIER = JwtVerifier.create(
            JwtConfig.of(TestKeys.ISSUER, TestKeys.AUDIENCE, KeySource.Static.of(new JWKSet(TRUSTED.toPublicJWK()).toString()))
                    .withAlgorithms(Set.of("RS256", "ES256", "HS256")),
            null, Clock.fixed(Instant.parse("2026-11-22T06:00:00Z"), ZoneOffset.UTC), Identity.Method.JWT);

    @FuzzTest
    void everyTokenGetsAVerdictAndNoForgeryIsValid(FuzzedDataProvider data) {
        String token = switch (data.consumeInt(0, 2)) {
            case 0 -> data.consumeRemainingAsString();
            case 1 -> Base64URL.encode(data.consumeString(200)) + "." + Base64URL.encode(data.consumeString(400)) + "."
                    + Base64URL.encode(data.consumeBytes(256));
            default -> Base64URL.encode("{\"alg\":\"" + data.pickValue(new String[] {"RS256", "HS256", "none", "ES256", "RS256\u0000"})
                    + "\",\"kid\":\"" + data.consumeString(40).replace("\"", "") + "\"}") + "."
                    + Base64URL.encode(data.consumeString(400)) + "." + data.consumeRemainingAsString();
        };
        JwtResult result = VERIFIER.verify(token).toCompletableFuture().join();
        if (result instanceof JwtResult.Valid) {
            throw new AssertionError("a token the fuzzer made was accepted: " + token);
        }
    }
}
