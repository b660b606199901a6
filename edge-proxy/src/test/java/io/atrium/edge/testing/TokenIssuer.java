package io.atrium.edge.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny identity provider on loopback: an RSA key generated per run, its JWKS served over HTTP, tokens signed with it. */
public final class TokenIssuer implements AutoCloseable {

    public static final String ISSUER = "https://idp.test";
    public static final String AUDIENCE = "atrium-api";

    private final RSAKey key;
    private final HttpServer server;
    private final AtomicInteger jwksFetches = new AtomicInteger();

    public TokenIssuer() throws IOException {
        try {
            key = new RSAKeyGenerator(2048).keyID("test-key-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
    }

    public String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** A valid token for {@code subject} with {@code scope} (space-separated), valid for 5 minutes. */
    public String token(String subject, String scope) {
        return token(new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject).claim("scope", scope)
                .claim("azp", "web-app").issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
    }

    public String token(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
