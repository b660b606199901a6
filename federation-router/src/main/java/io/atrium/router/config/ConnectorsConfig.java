package io.atrium.router.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code connectors:} block: per connector subgraph, what the supergraph cannot know (where a REST source runs in
 * this deployment, the {@code $config} values its selections read, how many entity calls may run at once).
 *
 * <pre>
 * connectors:
 *   rest:
 *     orders:                           # subgraph name
 *       sources:
 *         api: {base_url: http://orders:4010}   # overrides @source(name: "api", http: {baseURL})
 *       config: {region: eu}            # $config in the subgraph's selections and templates (default {})
 *       entity_concurrency: 8           # entity calls of one fetch in flight at once (default 8)
 * </pre>
 *
 * <pre>
 * connectors:
 *   grpc:
 *     payments:                         # a proto-first gRPC subgraph (./atrium connector grpc)
 *       connector: config/connectors/payments.grpc.yaml   # its connector config (relative to the working directory)
 *       descriptor_set: classpath:META-INF/atrium/protos/atrium.desc   # default: server reflection at the target
 *       target: payments:50051          # overrides the connector config's target
 *       entity_concurrency: 8           # entity lookups of one fetch in flight at once (default 8)
 *       cache_control: "public, max-age=30"   # gRPC has no caching metadata: the policy of this subgraph's
 *                                              # answers; default none = answers that use it are no-store
 *       tls: {ca_file: ca.pem, cert_file: client.pem, key_file: client-key.pem, server_name: payments.internal}
 *                                       # default none = plaintext h2c (loopback/sidecar targets); see GrpcTls
 *       descriptor_check_interval_ms: 5000   # descriptors re-checked against the supergraph's snapshot (default 5 s)
 * </pre>
 *
 * @param rest subgraph name → its REST connector settings (default none: every subgraph as the supergraph says)
 * @param grpc subgraph name → its gRPC connector (default none)
 */
public record ConnectorsConfig(Map<String, RestSubgraph> rest, Map<String, GrpcSubgraph> grpc) {

    public static final ConnectorsConfig NONE = new ConnectorsConfig(Map.of(), Map.of());

    public ConnectorsConfig(Map<String, RestSubgraph> rest) {
        this(rest, Map.of());
    }

    /**
     * @param connector         the gRPC connector config file
     * @param descriptorSet     a descriptor set file or {@code classpath:} resource; null = server reflection
     * @param target            {@code host:port} replacing the connector config's target; null = keep it
     * @param entityConcurrency entity lookups of one fetch in flight at once (at least 1)
     * @param cacheControl      the {@code Cache-Control} its fetches contribute to the router's answers; null = none
     *                          (an answer using the subgraph is then not cacheable)
     * @param tls               TLS (mTLS) to the target, also for reflection; null = plaintext (h2c)
     * @param descriptorCheckInterval how often a descriptor set file (when it changed) or the reflected service is
     *                          re-read and its hash held to the supergraph's snapshot (default 5 s)
     */
    public record GrpcSubgraph(java.nio.file.Path connector, String descriptorSet, String target, int entityConcurrency,
                               String cacheControl, GrpcTls tls, java.time.Duration descriptorCheckInterval) {
    }
    public static final java.time.Duration DEFAULT_DESCRIPTOR_CHECK_INTERVAL = java.time.Duration.ofSeconds(5);
    public static final int DEFAULT_ENTITY_CONCURRENCY = 8;

    public ConnectorsConfig {
        rest = Map.copyOf(rest);
        grpc = Map.copyOf(grpc);
    }

    /** The settings of one REST connector subgraph (defaults when it has none). */
    public RestSubgraph restFor(String subgraph) {
        return rest.getOrDefault(subgraph, RestSubgraph.DEFAULTS);
    }

    /**
     * @param baseUrls          {@code @source} name → base URL replacing the one in the schema
     * @param config            the {@code $config} variable (JSON)
     * @param entityConcurrency entity calls of one fetch in flight at once (at least 1)
     */
    public record RestSubgraph(Map<String, URI> baseUrls, Map<String, Object> config, int entityConcurrency) {
        public static final RestSubgraph DEFAULTS = new RestSubgraph(Map.of(), Map.of(), DEFAULT_ENTITY_CONCURRENCY);

        public RestSubgraph {
            baseUrls = Map.copyOf(baseUrls);
            config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        }
    }

    @SuppressWarnings("unchecked")
    static ConnectorsConfig parse(Object value) {
        Map<String, Object> top = map(value, "connectors");
        check(top, Set.of("rest", "grpc"), "connectors");
        Map<String, RestSubgraph> rest = new LinkedHashMap<>();
        if (top.containsKey("rest")) {
            for (var entry : map(top.get("rest"), "connectors.rest").entrySet()) {
                String path = "connectors.rest." + entry.getKey();
                Map<String, Object> sub = map(entry.getValue(), path);
                check(sub, Set.of("sources", "config", "entity_concurrency"), path);
                Map<String, URI> baseUrls = new LinkedHashMap<>();
                if (sub.containsKey("sources")) {
                    for (var source : map(sub.get("sources"), path + ".sources").entrySet()) {
                        String sourcePath = path + ".sources." + source.getKey();
                        Map<String, Object> s = map(source.getValue(), sourcePath);
                        check(s, Set.of("base_url"), sourcePath);
                        if (s.containsKey("base_url")) {
                            baseUrls.put(source.getKey(), uri(s.get("base_url"), sourcePath + ".base_url"));
                        }
                    }
                }
                Map<String, Object> config = sub.containsKey("config") ? map(sub.get("config"), path + ".config") : Map.of();
                int concurrency = entityConcurrency(sub, path);
                rest.put(entry.getKey(), new RestSubgraph(baseUrls, config, concurrency));
            }
        }
        return new ConnectorsConfig(rest, top.containsKey("grpc") ? grpc(map(top.get("grpc"), "connectors.grpc")) : Map.of());
    }

    private static Map<String, GrpcSubgraph> grpc(Map<String, Object> all) {
        Map<String, GrpcSubgraph> grpc = new LinkedHashMap<>();
        for (var entry : all.entrySet()) {
            String path = "connectors.grpc." + entry.getKey();
            Map<String, Object> sub = map(entry.getValue(), path);
            check(sub, Set.of("connector", "descriptor_set", "target", "entity_concurrency", "cache_control", "tls",
                    "descriptor_check_interval_ms"), path);
            if (!(sub.get("connector") instanceof String connector) || connector.isBlank()) {
                throw new ConfigException(path + ".connector: expected the gRPC connector config file");
            }
            String descriptors = null;
            if (sub.containsKey("descriptor_set")) {
                if (!(sub.get("descriptor_set") instanceof String d) || d.isBlank()) {
                    throw new ConfigException(path + ".descriptor_set: expected a file or classpath: resource");
                }
                descriptors = d;
            }
            String target = null;
            if (sub.containsKey("target")) {
                if (!(sub.get("target") instanceof String t) || !t.contains(":")) {
                    throw new ConfigException(path + ".target: expected host:port, got " + sub.get("target"));
                }
                target = t;
            }
            String cacheControl = null;
            if (sub.containsKey("cache_control")) {
                if (!(sub.get("cache_control") instanceof String c) || !c.contains("max-age=")) {
                    throw new ConfigException(path + ".cache_control: expected a Cache-Control value with a max-age "
                            + "(e.g. \"public, max-age=30\"), got " + sub.get("cache_control"));
                }
                cacheControl = c;
            }
            // relative to the working directory, as the connector config is
            GrpcTls tls = sub.containsKey("tls")
                    ? GrpcTls.parse(sub.get("tls"), path + ".tls", java.nio.file.Path.of("")) : null;
            java.time.Duration check = DEFAULT_DESCRIPTOR_CHECK_INTERVAL;
            if (sub.containsKey("descriptor_check_interval_ms")) {
                if (!(sub.get("descriptor_check_interval_ms") instanceof Integer ms) || ms < 100) {
                    throw new ConfigException(path + ".descriptor_check_interval_ms: expected milliseconds, at least 100, got "
                            + sub.get("descriptor_check_interval_ms"));
                }
                check = java.time.Duration.ofMillis(ms);
            }
            grpc.put(entry.getKey(), new GrpcSubgraph(java.nio.file.Path.of(connector), descriptors, target,
                    entityConcurrency(sub, path), cacheControl, tls, check));
        }
        return grpc;
    }

    private static int entityConcurrency(Map<String, Object> sub, String path) {
        if (!sub.containsKey("entity_concurrency")) {
            return DEFAULT_ENTITY_CONCURRENCY;
        }
        if (!(sub.get("entity_concurrency") instanceof Integer n) || n < 1) {
            throw new ConfigException(path + ".entity_concurrency: expected an integer of at least 1, got "
                    + sub.get("entity_concurrency"));
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String path) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigException(path + ": expected a mapping");
        }
        return (Map<String, Object>) map;
    }

    private static void check(Map<String, Object> map, Set<String> allowed, String path) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new ConfigException("unknown key '" + path + "." + key + "'; allowed here: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static URI uri(Object value, String path) {
        if (value instanceof String text) {
            try {
                URI uri = new URI(text);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
        }
        throw new ConfigException(path + ": expected an http(s) URL, got " + value);
    }
}
