package io.atrium.router.config;

import io.atrium.graphql.EndpointConfig;
import io.atrium.graphql.config.GraphQLConfigException;
import io.atrium.policy.resilience.ResilienceConfigReader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads the strict router YAML config: unknown keys fail with their path.
 *
 * <pre>
 * format_version: 1
 * supergraph: config/router/supergraph.graphql
 * hot_reload: true
 * introspection: true
 * query_plan_header: x-atrium-query-plan     # absent = plans never returned
 * subgraph_defaults:
 *   timeout_ms: 30000
 *   protocol: http1                                      # http1 | h2c
 *   forward_headers: [authorization]                     # shorthand for propagate rules; default: none
 *   headers:                                             # rules for every subgraph, in order
 *     - propagate: x-tenant
 *       rename: x-atrium-tenant
 *     - insert: x-atrium-router
 *       value: "1"
 * subgraphs:
 *   accounts:
 *     url: http://localhost:4001/graphql                 # or urls: [a, b] (load-balanced)
 *     timeout_ms: 2000
 *     circuit_breaker: {minimum_calls: 10}               # also load_balancing, outlier_detection, retry,
 *                                                        # deduplicate_queries (and in subgraph_defaults)
 *     protocol: h2c
 *     headers: [{remove: authorization}]                 # run after the rules for every subgraph
 * progressive_override:
 *   enabled_labels: [beta]                               # on for every request
 *   label_header: x-atrium-override-labels               # comma-separated labels a request adds; absent = off
 * limits: {max_depth: 10, clients: {ios: {max_depth: 12}}}  # graphql-kit's LimitsConfig (every key defaulted)
 * trusted_documents: {mode: log_unknown, clients: {web: {mode: allow_only_known, manifests: [web.json]}}}
 * apq: {enabled: true, max_entries: 10000}                 # graphql-kit's TrustedDocumentsConfig
 * identity: {source: edge_assertion, edge_assertion: {jwks_url: http://127.0.0.1:9901/.well-known/jwks.json}}
 * authorization: {reject_unauthorized: false, dry_run: false, policies: {admin: {all: [{claim: roles, contains: admin}]}}}
 * demand_control: {enabled: true, mode: enforce, max: 100000, list_size: 10, rate_limit: {key: client, limits: [...]}}
 * connectors: {rest: {orders: {sources: {api: {base_url: http://orders:4010}}}}}  # see ConnectorsConfig
 * cache_control: {enabled: true, default_max_age_seconds: 0}  # see CacheControlConfig
 * batching: {enabled: false, max_operations: 10}           # graphql-kit's BatchingConfig (JSON-array POSTs)
 * </pre>
 */
public final class RouterConfigLoader {
    private static final Set<String> RESILIENCE = union(ResilienceConfigReader.KEYS, Set.of("deduplicate_queries"));
    private static final Set<String> SUBGRAPH_DEFAULTS = union(RESILIENCE,
            Set.of("timeout_ms", "protocol", "forward_headers", "headers"));
    private static final Set<String> SUBGRAPH = union(RESILIENCE, Set.of("url", "urls", "timeout_ms", "protocol", "headers"));
    private static final Set<String> TOP = Set.of("format_version", "supergraph", "hot_reload", "introspection",
            "query_plan_header", "subgraph_defaults", "subgraphs", "progressive_override", "limits", "trusted_documents", "apq", "identity", "authorization", "demand_control", "connectors", "cache_control", "batching");

    private RouterConfigLoader() {
    }

    public static RouterConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read router config " + file + ": " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        RouterConfig parsed = parse(text);
        RouterConfig config = parsed.withEndpoint(parsed.endpoint().resolveAgainst(base));
        if (config.supergraph() != null && !Path.of(config.supergraph()).isAbsolute()) {
            return config.withSupergraph(base.resolve(config.supergraph()).normalize().toString());
        }
        return config;
    }

    public static RouterConfig parse(String yaml) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (RuntimeException e) { // YAMLException, and what SnakeYAML throws besides it (found by fuzzing)
            // IllegalArgumentException: SnakeYAML's verdict on some bad scalars (a !!binary that is not Base64)
            throw new ConfigException("router config is not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new ConfigException("router config is empty: it needs at least 'format_version: 1'");
        }
        Map<String, Object> map = map(root, "");
        checkKeys(map, TOP, "");
        Object version = map.get("format_version");
        if (!Integer.valueOf(1).equals(version)) {
            throw new ConfigException("format_version: expected 1, got " + version);
        }
        RouterConfig defaults = RouterConfig.defaults();
        Duration defaultTimeout = defaults.defaultTimeout();
        RouterConfig.Protocol defaultProtocol = defaults.defaultProtocol();
        java.util.List<HeaderRule> headerRules = new java.util.ArrayList<>();
        SubgraphResilience resilience = SubgraphResilience.DEFAULT;
        if (map.containsKey("subgraph_defaults")) {
            Map<String, Object> sd = map(map.get("subgraph_defaults"), "subgraph_defaults");
            checkKeys(sd, SUBGRAPH_DEFAULTS, "subgraph_defaults");
            resilience = resilience(sd, "subgraph_defaults", resilience);
            if (sd.containsKey("timeout_ms")) {
                defaultTimeout = millis(sd.get("timeout_ms"), "subgraph_defaults.timeout_ms");
            }
            if (sd.containsKey("protocol")) {
                defaultProtocol = protocol(sd.get("protocol"), "subgraph_defaults.protocol");
            }
            if (sd.containsKey("forward_headers")) {
                for (String name : headerNames(sd.get("forward_headers"), "subgraph_defaults.forward_headers")) {
                    headerRules.add(new HeaderRule.Propagate(name, name));
                }
            }
            if (sd.containsKey("headers")) {
                headerRules.addAll(headerRules(sd.get("headers"), "subgraph_defaults.headers"));
            }
        }
        Map<String, RouterConfig.SubgraphOverride> subgraphs = new LinkedHashMap<>();
        if (map.containsKey("subgraphs")) {
            Map<String, Object> all = map(map.get("subgraphs"), "subgraphs");
            for (Map.Entry<String, Object> entry : all.entrySet()) {
                String path = "subgraphs." + entry.getKey();
                Map<String, Object> sub = map(entry.getValue(), path);
                checkKeys(sub, SUBGRAPH, path);
                URI url = sub.containsKey("url") ? uri(sub.get("url"), path + ".url") : null;
                java.util.List<URI> urls = sub.containsKey("urls") ? uris(sub.get("urls"), path + ".urls") : java.util.List.of();
                if (url != null && !urls.isEmpty()) {
                    throw new ConfigException(path + ": give either url or urls, not both");
                }
                SubgraphResilience own = sub.keySet().stream().anyMatch(RESILIENCE::contains)
                        ? resilience(sub, path, resilience) : null;
                Duration timeout = sub.containsKey("timeout_ms") ? millis(sub.get("timeout_ms"), path + ".timeout_ms") : null;
                RouterConfig.Protocol protocol = sub.containsKey("protocol") ? protocol(sub.get("protocol"), path + ".protocol") : null;
                java.util.List<HeaderRule> rules = sub.containsKey("headers")
                        ? headerRules(sub.get("headers"), path + ".headers") : java.util.List.of();
                subgraphs.put(entry.getKey(), new RouterConfig.SubgraphOverride(url, timeout, protocol, rules, urls, own));
            }
        }
        Set<String> labels = Set.of();
        String labelHeader = null;
        if (map.containsKey("progressive_override")) {
            Map<String, Object> po = map(map.get("progressive_override"), "progressive_override");
            checkKeys(po, Set.of("enabled_labels", "label_header"), "progressive_override");
            if (po.containsKey("enabled_labels")) {
                if (!(po.get("enabled_labels") instanceof java.util.List<?> list)) {
                    throw new ConfigException("progressive_override.enabled_labels: expected a list of labels");
                }
                java.util.Set<String> names = new java.util.LinkedHashSet<>();
                for (Object item : list) {
                    if (!(item instanceof String label) || label.isBlank()) {
                        throw new ConfigException("progressive_override.enabled_labels: expected labels, got " + item);
                    }
                    names.add(label);
                }
                labels = names;
            }
            if (po.get("label_header") != null) {
                labelHeader = HeaderRule.headerName(po.get("label_header"), "progressive_override.label_header");
            }
        }
        return new RouterConfig(
                string(map.get("supergraph"), "supergraph"),
                bool(map, "hot_reload", defaults.hotReload()),
                bool(map, "introspection", defaults.introspection()),
                string(map.get("query_plan_header"), "query_plan_header"),
                defaultTimeout,
                defaultProtocol,
                subgraphs,
                headerRules,
                labels,
                labelHeader,
                endpoint(map),
                resilience,
                map.containsKey("connectors") ? ConnectorsConfig.parse(map.get("connectors")) : ConnectorsConfig.NONE,
                map.containsKey("cache_control") ? CacheControlConfig.read(map.get("cache_control"))
                        : CacheControlConfig.DEFAULT);
    }

    /** The resilience keys of a subgraph (or of the defaults) over {@code inherited}, block by block. */
    private static SubgraphResilience resilience(Map<String, Object> block, String path, SubgraphResilience inherited) {
        try {
            var cluster = ResilienceConfigReader.read(block, path, inherited.cluster());
            boolean deduplicate = block.containsKey("deduplicate_queries")
                    ? bool(block, "deduplicate_queries", false, path) : inherited.deduplicateQueries();
            return new SubgraphResilience(cluster, deduplicate);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static java.util.List<URI> uris(Object value, String path) {
        if (!(value instanceof java.util.List<?> list) || list.isEmpty()) {
            throw new ConfigException(path + ": expected a non-empty list of URLs");
        }
        java.util.List<URI> urls = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            URI url = uri(list.get(i), path + "[" + i + "]");
            if (urls.contains(url)) {
                throw new ConfigException(path + "[" + i + "]: " + url + " is listed twice");
            }
            urls.add(url);
        }
        return urls;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** graphql-kit's blocks, their errors reported as config errors with the key's path. */
    private static EndpointConfig endpoint(Map<String, Object> map) {
        try {
            return EndpointConfig.read(map);
        } catch (GraphQLConfigException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static RouterConfig.Protocol protocol(Object value, String path) {
        if ("http1".equals(value)) {
            return RouterConfig.Protocol.HTTP1;
        }
        if ("h2c".equals(value)) {
            return RouterConfig.Protocol.H2C;
        }
        throw new ConfigException(path + ": expected http1 or h2c, got " + value);
    }

    /** {@code [{propagate: name, rename: other}, {insert: name, value: v}, {remove: name}]}. */
    private static java.util.List<HeaderRule> headerRules(Object value, String path) {
        if (!(value instanceof java.util.List<?> list)) {
            throw new ConfigException(path + ": expected a list of header rules");
        }
        java.util.List<HeaderRule> rules = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = path + "[" + i + "]";
            Map<String, Object> rule = map(list.get(i), at);
            if (rule.containsKey("propagate")) {
                checkKeys(rule, Set.of("propagate", "rename"), at);
                String name = HeaderRule.headerName(rule.get("propagate"), at + ".propagate");
                String as = rule.containsKey("rename") ? HeaderRule.headerName(rule.get("rename"), at + ".rename") : name;
                rules.add(new HeaderRule.Propagate(name, as));
            } else if (rule.containsKey("insert")) {
                checkKeys(rule, Set.of("insert", "value"), at);
                String name = HeaderRule.headerName(rule.get("insert"), at + ".insert");
                if (!(rule.get("value") instanceof String v) || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                    throw new ConfigException(at + ".value: expected a string (one line)");
                }
                rules.add(new HeaderRule.Insert(name, v));
            } else if (rule.containsKey("remove")) {
                checkKeys(rule, Set.of("remove"), at);
                rules.add(new HeaderRule.Remove(HeaderRule.headerName(rule.get("remove"), at + ".remove")));
            } else {
                throw new ConfigException(at + ": expected one of propagate, insert, remove");
            }
        }
        return rules;
    }

    private static java.util.List<String> headerNames(Object value, String path) {
        if (!(value instanceof java.util.List<?> list)) {
            throw new ConfigException(path + ": expected a list of header names");
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            names.add(HeaderRule.headerName(list.get(i), path + "[" + i + "]"));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String path) {
        if (value instanceof Map<?, ?> m) {
            for (Object key : m.keySet()) {
                if (!(key instanceof String)) { // YAML allows `1: x` or `[a]: x`; found by RouterConfigFuzz
                    throw new ConfigException((path.isEmpty() ? "router config" : path) + ": key '" + key
                            + "' is not a name");
                }
            }
            return (Map<String, Object>) m;
        }
        throw new ConfigException((path.isEmpty() ? "router config" : path) + ": expected a mapping");
    }

    private static void checkKeys(Map<String, Object> map, Set<String> allowed, String path) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new ConfigException("unknown key '" + (path.isEmpty() ? key : path + "." + key)
                        + "'; allowed here: " + allowed.stream().sorted().toList());
            }
        }
    }

    private static String string(Object value, String path) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        throw new ConfigException(path + ": expected a string");
    }

    private static boolean bool(Map<String, Object> map, String key, boolean fallback) {
        return bool(map, key, fallback, "");
    }

    private static boolean bool(Map<String, Object> map, String key, boolean fallback, String path) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ConfigException((path.isEmpty() ? key : path + "." + key) + ": expected true or false");
    }

    private static Duration millis(Object value, String path) {
        if (value instanceof Integer i && i > 0) {
            return Duration.ofMillis(i);
        }
        throw new ConfigException(path + ": expected a positive number of milliseconds");
    }

    private static URI uri(Object value, String path) {
        try {
            URI uri = new URI(string(value, path));
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new ConfigException(path + ": expected an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(path + ": not a URL: " + e.getMessage());
        }
    }
}
