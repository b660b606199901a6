package io.atrium.graphql.limits;

import io.atrium.graphql.config.ConfigMaps;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code limits} block of an endpoint:
 *
 * <pre>
 * limits:
 *   enabled: true                 # default true
 *   max_request_bytes: 2097152    # request body, 413 beyond (default 2 MiB)
 *   mode: enforce                 # enforce | warn (log and count, run anyway); default enforce
 *   max_depth: 10                 # … every OperationLimits key with its default
 *   clients:                      # per client name (apollographql-client-name), over the endpoint's values
 *     ios: { max_depth: 12, mode: warn }
 * </pre>
 *
 * @param enabled         false: no operation limit is checked (the body size still is)
 * @param maxRequestBytes largest request body
 * @param endpoint        the limits of requests without a configured client name
 * @param clients         per client name, already merged over {@code endpoint}
 */
public record LimitsConfig(boolean enabled, int maxRequestBytes, OperationLimits endpoint,
                           Map<String, OperationLimits> clients) {
    public static final int DEFAULT_MAX_REQUEST_BYTES = 2 * 1024 * 1024;
    public static final LimitsConfig DEFAULTS =
            new LimitsConfig(true, DEFAULT_MAX_REQUEST_BYTES, OperationLimits.DEFAULTS, Map.of());

    public LimitsConfig {
        clients = Map.copyOf(clients);
    }

    /** The limits for a client name (null: none sent). */
    public OperationLimits forClient(String clientName) {
        if (clientName == null) {
            return endpoint;
        }
        OperationLimits own = clients.get(clientName);
        return own != null ? own : endpoint;
    }

    /**
     * Where parsing is cut off: no client may send more tokens than this. A client in {@code warn} mode (or limits
     * off) gets at least graphql-java's own cut-off, so warn mode never refuses what the parser alone would accept.
     */
    public int parserMaxTokens() {
        int max = cutOff(endpoint);
        for (OperationLimits limits : clients.values()) {
            max = Math.max(max, cutOff(limits));
        }
        return max;
    }

    private int cutOff(OperationLimits limits) {
        return enabled && limits.mode() == LimitMode.ENFORCE
                ? limits.maxTokens() : Math.max(limits.maxTokens(), graphql.parser.ParserOptions.MAX_QUERY_TOKENS);
    }

    /** Where the height count stops: one past the largest height limit, so a breach is always seen. */
    public int heightCap() {
        int max = endpoint.maxHeight();
        for (OperationLimits limits : clients.values()) {
            max = Math.max(max, limits.maxHeight());
        }
        return max + 1;
    }

    public static LimitsConfig read(Object value, String path) {
        if (value == null) {
            return DEFAULTS;
        }
        Map<String, Object> block = ConfigMaps.map(value, path);
        Set<String> keys = new HashSet<>(OperationLimits.KEYS);
        keys.addAll(Set.of("enabled", "max_request_bytes", "clients"));
        ConfigMaps.checkKeys(block, keys, path);
        OperationLimits endpoint = OperationLimits.read(block, OperationLimits.DEFAULTS, path);
        Map<String, OperationLimits> clients = new LinkedHashMap<>();
        if (block.get("clients") != null) {
            Map<String, Object> all = ConfigMaps.map(block.get("clients"), path + ".clients");
            for (var entry : all.entrySet()) {
                String at = path + ".clients." + entry.getKey();
                Map<String, Object> own = ConfigMaps.map(entry.getValue(), at);
                ConfigMaps.checkKeys(own, OperationLimits.KEYS, at);
                clients.put(entry.getKey(), OperationLimits.read(own, endpoint, at));
            }
        }
        return new LimitsConfig(ConfigMaps.bool(block, "enabled", true, path),
                ConfigMaps.positiveInt(block, "max_request_bytes", DEFAULT_MAX_REQUEST_BYTES, path), endpoint, clients);
    }
}
