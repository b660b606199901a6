package io.atrium.policy.auth.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import java.util.Set;

/**
 * One key ready to verify signatures: the algorithms it may verify (the key type's algorithms, narrowed by the
 * JWK's own {@code alg} and the configured allow-list) and a verifier built once.
 *
 * @param kid the key id, or null when the key has none
 */
public record VerificationKey(String kid, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) {

    public VerificationKey {
        algorithms = Set.copyOf(algorithms);
    }

    public boolean accepts(JWSAlgorithm algorithm) {
        return algorithms.contains(algorithm);
    }
}
