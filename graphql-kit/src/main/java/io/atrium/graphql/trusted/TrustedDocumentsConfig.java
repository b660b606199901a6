package io.atrium.graphql.trusted;

import io.atrium.graphql.config.ConfigMaps;
import io.atrium.graphql.config.GraphQLConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code trusted_documents} and {@code apq} blocks of an endpoint:
 *
 * <pre>
 * trusted_documents:
 *   mode: off                       # off | log_unknown | allow_only_known, for clients without their own; default off
 *   manifests: []                   # manifests for every client (an Apollo operation's clientName narrows it)
 *   clients:
 *     web: { mode: allow_only_known, manifests: [manifests/web.json] }
 * apq:
 *   enabled: true                   # default true; never for a client in allow_only_known mode
 *   max_entries: 10000              # in-memory store size (LRU-ish, Caffeine); default 10000
 *   redis_url: redis://redis:6379   # shared store in Redis instead of memory; default absent (memory)
 *   ttl_seconds: 86400              # how long Redis keeps a document; default 86400 (a day)
 * </pre>
 *
 * Manifest paths are relative to the config file.
 */
public record TrustedDocumentsConfig(ClientTrust endpoint, Map<String, ClientTrust> clients, boolean apqEnabled,
                                     int apqMaxEntries, String apqRedisUrl, int apqTtlSeconds) {
    public static final TrustedDocumentsConfig DEFAULTS =
            new TrustedDocumentsConfig(new ClientTrust(TrustMode.OFF, List.of()), Map.of(), true, 10_000, null, 86_400);

    public TrustedDocumentsConfig {
        clients = Map.copyOf(clients);
    }

    /** The trust of a client name (null: none sent). */
    public ClientTrust forClient(String clientName) {
        ClientTrust own = clientName == null ? null : clients.get(clientName);
        return own != null ? own : endpoint;
    }

    /** The same config with relative manifest paths resolved against {@code dir}. */
    public TrustedDocumentsConfig resolveAgainst(Path dir) {
        Map<String, ClientTrust> resolved = new LinkedHashMap<>();
        clients.forEach((name, trust) -> resolved.put(name, trust.resolveAgainst(dir)));
        return new TrustedDocumentsConfig(endpoint.resolveAgainst(dir), resolved, apqEnabled, apqMaxEntries, apqRedisUrl,
                apqTtlSeconds);
    }

    public static TrustedDocumentsConfig read(Object trustedBlock, Object apqBlock, String trustedPath, String apqPath) {
        ClientTrust endpoint = DEFAULTS.endpoint();
        Map<String, ClientTrust> clients = new LinkedHashMap<>();
        if (trustedBlock != null) {
            Map<String, Object> block = ConfigMaps.map(trustedBlock, trustedPath);
            ConfigMaps.checkKeys(block, Set.of("mode", "manifests", "clients"), trustedPath);
            endpoint = trust(block, endpoint.mode(), trustedPath);
            if (block.get("clients") != null) {
                for (var entry : ConfigMaps.map(block.get("clients"), trustedPath + ".clients").entrySet()) {
                    String at = trustedPath + ".clients." + entry.getKey();
                    Map<String, Object> own = ConfigMaps.map(entry.getValue(), at);
                    ConfigMaps.checkKeys(own, Set.of("mode", "manifests"), at);
                    clients.put(entry.getKey(), trust(own, endpoint.mode(), at));
                }
            }
        }
        boolean apq = DEFAULTS.apqEnabled();
        int maxEntries = DEFAULTS.apqMaxEntries();
        String redisUrl = null;
        int ttl = DEFAULTS.apqTtlSeconds();
        if (apqBlock != null) {
            Map<String, Object> block = ConfigMaps.map(apqBlock, apqPath);
            ConfigMaps.checkKeys(block, Set.of("enabled", "max_entries", "redis_url", "ttl_seconds"), apqPath);
            apq = ConfigMaps.bool(block, "enabled", apq, apqPath);
            maxEntries = ConfigMaps.positiveInt(block, "max_entries", maxEntries, apqPath);
            redisUrl = ConfigMaps.string(block, "redis_url", null, apqPath);
            if (redisUrl != null && !redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
                throw new GraphQLConfigException(apqPath + ".redis_url: expected redis:// or rediss://");
            }
            ttl = ConfigMaps.positiveInt(block, "ttl_seconds", ttl, apqPath);
        }
        return new TrustedDocumentsConfig(endpoint, clients, apq, maxEntries, redisUrl, ttl);
    }

    private static ClientTrust trust(Map<String, Object> block, TrustMode fallback, String path) {
        TrustMode mode = ConfigMaps.choice(block, "mode", fallback, TrustMode.class, path);
        List<Path> manifests = new ArrayList<>();
        Object value = block.get("manifests");
        if (value != null) {
            if (!(value instanceof List<?> list)) {
                throw new GraphQLConfigException(path + ".manifests: expected a list of file paths");
            }
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String file) || file.isBlank()) {
                    throw new GraphQLConfigException(path + ".manifests[" + i + "]: expected a file path");
                }
                manifests.add(Path.of(file));
            }
        }
        return new ClientTrust(mode, manifests);
    }
}
