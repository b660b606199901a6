package io.atrium.policy.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * API keys of named consumers.
 *
 * @param header the request header carrying the key (default {@code X-API-Key})
 * @param queryParameter a query parameter also carrying the key, or null (default) to accept the header only
 * @param consumers the known consumers; keys are stored as SHA-256 hex digests, never in clear
 */
public record ApiKeyConfig(String header, String queryParameter, List<Consumer> consumers) {

    public static final String DEFAULT_HEADER = "X-API-Key";

    public ApiKeyConfig {
        header = Objects.requireNonNullElse(header, DEFAULT_HEADER);
        consumers = List.copyOf(consumers);
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (Consumer consumer : consumers) {
            if (!names.add(consumer.name())) {
                throw new IllegalArgumentException("api_keys: consumer '" + consumer.name() + "' is listed twice");
            }
            if (!digests.add(consumer.keySha256())) {
                throw new IllegalArgumentException("api_keys: consumer '" + consumer.name() + "' has the same key as another consumer");
            }
        }
    }

    /**
     * One consumer.
     *
     * @param name the consumer name; becomes the identity's subject and consumer
     * @param keySha256 lower-case hex SHA-256 of the key (e.g. {@code printf %s "$KEY" | sha256sum})
     * @param scopes scopes granted to the consumer
     * @param roles roles granted to the consumer
     */
    public record Consumer(String name, String keySha256, Set<String> scopes, Set<String> roles) {

        public Consumer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(keySha256, "key_sha256");
            keySha256 = keySha256.toLowerCase(java.util.Locale.ROOT);
            if (!keySha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("api_keys: consumer '" + name + "' key_sha256 must be 64 hex digits");
            }
            scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
            roles = roles == null ? Set.of() : Set.copyOf(roles);
        }
    }
}
