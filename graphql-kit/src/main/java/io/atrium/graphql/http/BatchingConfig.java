package io.atrium.graphql.http;

import io.atrium.graphql.config.ConfigMaps;
import java.util.Map;
import java.util.Set;

/**
 * The {@code batching} block of an endpoint: several operations in one POST whose body is a JSON array (Apollo
 * Client's {@code BatchHttpLink}, a BFF forwarding a batch), answered by one JSON array in the same order. Off by
 * default, as in Apollo Router: a batch multiplies what one request may cost, so it is opened on purpose.
 *
 * <pre>
 * batching:
 *   enabled: false          # default false; a batch is then refused with BATCHING_NOT_ENABLED
 *   max_operations: 10      # a larger batch is refused whole with BATCH_LIMIT_EXCEEDED
 * </pre>
 */
public record BatchingConfig(boolean enabled, int maxOperations) {
    public static final BatchingConfig DEFAULTS = new BatchingConfig(false, 10);
    /**
     * The header of a batch answer giving its elements' lengths in bytes, comma-separated, in order: a BFF forwarding a
     * batch takes the router's answer apart with it instead of parsing the JSON (and checks that it adds up).
     */
    public static final String LENGTHS_HEADER = "x-atrium-batch-lengths";
    private static final Set<String> KEYS = Set.of("enabled", "max_operations");

    public static BatchingConfig read(Object value, String path) {
        if (value == null) {
            return DEFAULTS;
        }
        Map<String, Object> block = ConfigMaps.map(value, path);
        ConfigMaps.checkKeys(block, KEYS, path);
        return new BatchingConfig(ConfigMaps.bool(block, "enabled", DEFAULTS.enabled(), path),
                ConfigMaps.positiveInt(block, "max_operations", DEFAULTS.maxOperations(), path));
    }

    /** Whether a request body is a batch: its first non-blank byte opens a JSON array. */
    public static boolean isBatch(byte[] body) {
        if (body == null) {
            return false;
        }
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '[';
            }
        }
        return false;
    }
}
