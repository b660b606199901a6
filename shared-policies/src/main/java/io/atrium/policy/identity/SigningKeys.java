package io.atrium.policy.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * Identity-assertion signing keys: private EC P-256 JWKs (ES256, {@code kid} = the key's thumbprint). An edge without
 * {@code identity_assertion.signing_key} generates one at start; several edges serving the same services must share
 * one, or a service that fetched one edge's JWKS refuses the assertions of the others. {@link #main} prints a new key
 * on one line for that setting ({@code ./atrium up --replicas N} runs it once into {@code .atrium/}):
 * {@code java -cp edge-proxy.jar io.atrium.policy.identity.SigningKeys}. Keep its output secret.
 */
public final class SigningKeys {

    private SigningKeys() {
    }

    /** A new private signing key. */
    public static ECKey newKey() throws JOSEException {
        ECKey generated = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        return new ECKey.Builder(generated).keyID(generated.computeThumbprint().toString()).build();
    }

    public static void main(String[] args) throws JOSEException {
        if (args.length > 0) {
            System.err.println("usage: java -cp edge-proxy.jar io.atrium.policy.identity.SigningKeys"
                    + " (prints a new private EC P-256 JWK for identity_assertion.signing_key)");
            System.exit(2);
        }
        System.out.println(newKey().toJSONString());
    }
}
