package io.atrium.policy.auth.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * EdDSA (Ed25519) verification with the JDK's own provider. Nimbus' {@code Ed25519Verifier} needs Google Tink,
 * which would be a second crypto library for one algorithm the JDK already implements.
 */
public final class Ed25519JdkVerifier implements JWSVerifier {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112), followed by the 32 key bytes. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final PublicKey key;
    private final JCAContext jcaContext = new JCAContext();

    public Ed25519JdkVerifier(PublicKey key) {
        this.key = key;
    }

    /** A verifier for the raw 32-byte public key ({@code x} of an OKP JWK). */
    public static Ed25519JdkVerifier fromRaw(byte[] x) throws GeneralSecurityException {
        if (x.length != 32) {
            throw new GeneralSecurityException("Ed25519 public key must be 32 bytes, was " + x.length);
        }
        byte[] der = new byte[X509_PREFIX.length + 32];
        System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
        System.arraycopy(x, 0, der, X509_PREFIX.length, 32);
        return new Ed25519JdkVerifier(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            return false;
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return false; // no critical extension is understood here (RFC 7515 §4.1.11)
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature.decode());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
