package io.atrium.policy.auth;

import io.atrium.policy.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Authenticates API keys against the configured SHA-256 digests. The presented key is hashed and compared with
 * every consumer's digest in constant time, without stopping at the first match, so timing reveals nothing about
 * which digest (or which prefix of it) matched.
 */
public final class ApiKeyAuthenticator {

    private final ApiKeyConfig config;
    private final byte[][] digests;
    private final Identity[] identities;

    public ApiKeyAuthenticator(ApiKeyConfig config) {
        this.config = config;
        List<ApiKeyConfig.Consumer> consumers = config.consumers();
        this.digests = new byte[consumers.size()][];
        this.identities = new Identity[consumers.size()];
        for (int i = 0; i < consumers.size(); i++) {
            ApiKeyConfig.Consumer consumer = consumers.get(i);
            digests[i] = HexFormat.of().parseHex(consumer.keySha256());
            identities[i] = new Identity(consumer.name(), consumer.name(), consumer.scopes(), consumer.roles(), Map.of(), null,
                    Identity.Method.API_KEY);
        }
    }

    public ApiKeyConfig config() {
        return config;
    }

    /** The consumer's identity (built once at load), or null when the key matches no consumer. */
    public Identity authenticate(String presentedKey) {
        byte[] digest = sha256(presentedKey);
        Identity match = null;
        for (int i = 0; i < digests.length; i++) {
            if (MessageDigest.isEqual(digests[i], digest)) {
                match = identities[i];
            }
        }
        return match;
    }

    /** Lower-case hex SHA-256 of {@code key}, the form consumers are configured with. */
    public static String digestHex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }
}
