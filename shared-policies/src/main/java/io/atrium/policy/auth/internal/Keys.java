package io.atrium.policy.auth.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns JWKs, JWK Sets and PEM public keys into {@link VerificationKey}s. A key only ever verifies the algorithms of
 * its own type: an RSA key is never used as an HMAC secret (the classic RS256→HS256 confusion).
 */
public final class Keys {

    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    private static final Set<JWSAlgorithm> ED = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private Keys() {
    }

    /** Parses a JWKS document, e.g. a fetched one; keys for encryption or of unsupported types are skipped. */
    public static KeySet fromJwks(String json, Set<String> allowed) throws ParseException {
        List<VerificationKey> keys = new ArrayList<>();
        for (JWK jwk : JWKSet.parse(json).getKeys()) {
            addJwk(jwk, allowed, keys);
        }
        return new KeySet(keys);
    }

    /** Parses configured keys: JWK, JWK Set or PEM public key each. Fails on anything it cannot use. */
    public static KeySet fromConfig(List<String> entries, Set<String> allowed) {
        List<VerificationKey> keys = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.strip();
            try {
                if (trimmed.startsWith("-----BEGIN")) {
                    keys.add(fromPem(trimmed, allowed));
                } else if (trimmed.contains("\"keys\"")) {
                    keys.addAll(fromJwks(trimmed, allowed).candidates(null));
                } else if (!addJwk(JWK.parse(trimmed), allowed, keys)) {
                    throw new IllegalArgumentException("key cannot verify any allowed algorithm " + allowed);
                }
            } catch (ParseException | GeneralSecurityException | JOSEException e) {
                throw new IllegalArgumentException("unusable verification key: " + e.getMessage(), e);
            }
        }
        return new KeySet(keys);
    }

    private static boolean addJwk(JWK jwk, Set<String> allowed, List<VerificationKey> out) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return false;
        }
        try {
            VerificationKey key = fromJwk(jwk, allowed);
            if (key == null || key.algorithms().isEmpty()) {
                return false;
            }
            out.add(key);
            return true;
        } catch (JOSEException | GeneralSecurityException e) {
            return false;
        }
    }

    private static VerificationKey fromJwk(JWK jwk, Set<String> allowed) throws JOSEException, GeneralSecurityException {
        Set<JWSAlgorithm> algorithms;
        JWSVerifier verifier;
        switch (jwk) {
            case RSAKey rsa -> {
                algorithms = RSA;
                verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
            }
            case ECKey ec -> {
                algorithms = Set.of(ecAlgorithm(ec.getCurve()));
                verifier = new ECDSAVerifier(ec.toECPublicKey());
            }
            case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) -> {
                algorithms = ED;
                verifier = Ed25519JdkVerifier.fromRaw(okp.getDecodedX());
            }
            case OctetSequenceKey oct -> {
                byte[] secret = oct.toByteArray();
                algorithms = hmacAlgorithms(secret.length);
                if (algorithms.isEmpty()) {
                    throw new JOSEException("HMAC secret shorter than 256 bits");
                }
                verifier = new MACVerifier(secret);
            }
            default -> {
                return null;
            }
        }
        return new VerificationKey(jwk.getKeyID(), narrow(algorithms, jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName(), allowed), verifier);
    }

    private static VerificationKey fromPem(String pem, Set<String> allowed) throws GeneralSecurityException, JOSEException {
        if (!pem.startsWith("-----BEGIN PUBLIC KEY-----")) {
            throw new GeneralSecurityException("only 'PUBLIC KEY' PEM blocks are accepted (HMAC secrets are oct JWKs)");
        }
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
        PublicKey key = null;
        for (String type : List.of("RSA", "EC", "Ed25519")) {
            try {
                key = KeyFactory.getInstance(type).generatePublic(spec);
                break;
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        return switch (key) {
            case RSAPublicKey rsa -> new VerificationKey(null, narrow(RSA, null, allowed), new RSASSAVerifier(rsa));
            case ECPublicKey ec -> new VerificationKey(null,
                    narrow(Set.of(ecAlgorithm(Curve.forECParameterSpec(ec.getParams()))), null, allowed), new ECDSAVerifier(ec));
            case PublicKey ed when "EdDSA".equals(ed.getAlgorithm()) || "Ed25519".equals(ed.getAlgorithm()) ->
                    new VerificationKey(null, narrow(ED, null, allowed), new Ed25519JdkVerifier(ed));
            case null, default -> throw new GeneralSecurityException("PEM key is not an RSA, EC or Ed25519 public key");
        };
    }

    private static JWSAlgorithm ecAlgorithm(Curve curve) throws JOSEException {
        if (Curve.P_256.equals(curve)) {
            return JWSAlgorithm.ES256;
        }
        if (Curve.P_384.equals(curve)) {
            return JWSAlgorithm.ES384;
        }
        if (Curve.P_521.equals(curve)) {
            return JWSAlgorithm.ES512;
        }
        throw new JOSEException("unsupported EC curve " + curve);
    }

    private static Set<JWSAlgorithm> hmacAlgorithms(int secretBytes) {
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        if (secretBytes >= 32) {
            algorithms.add(JWSAlgorithm.HS256);
        }
        if (secretBytes >= 48) {
            algorithms.add(JWSAlgorithm.HS384);
        }
        if (secretBytes >= 64) {
            algorithms.add(JWSAlgorithm.HS512);
        }
        return algorithms;
    }

    /** The key type's algorithms, narrowed to the JWK's own {@code alg} (when set) and to the allow-list. */
    private static Set<JWSAlgorithm> narrow(Set<JWSAlgorithm> byType, String jwkAlgorithm, Set<String> allowed) {
        Set<JWSAlgorithm> result = new HashSet<>();
        for (JWSAlgorithm algorithm : byType) {
            boolean matchesJwk = jwkAlgorithm == null || jwkAlgorithm.equals(algorithm.getName())
                    || (ED.contains(algorithm) && ("EdDSA".equals(jwkAlgorithm) || "Ed25519".equals(jwkAlgorithm)));
            if (matchesJwk && allowed.contains(algorithm.getName())) {
                result.add(algorithm);
            }
        }
        return result;
    }
}
