package io.atrium.graphql.bff;

import io.atrium.graphql.EndpointConfig;
import io.atrium.graphql.config.ConfigMaps;
import io.atrium.graphql.config.GraphQLConfigException;
import io.atrium.graphql.contract.ViewRules;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A BFF's config file (strict YAML, {@code format_version: 1}; every key and default in graphql-kit's README, "BFF
 * core"). Read once at start-up into immutable records.
 *
 * @param name          the BFF's name: metrics, logs, and the client name it forwards when the app sends none
 * @param router        where operations are forwarded (the router's {@code /graphql})
 * @param registry      the router's admin API: the live supergraph, trusted operations, publishing own fields
 * @param subgraph      the BFF's own fields as a subgraph (name and the URL the router calls); null: none
 * @param view          which part of the supergraph this client sees
 * @param operations    trusted operations per app name and version (from the registry)
 * @param responseBudget largest response body per operation
 * @param introspection whether {@code __schema}/{@code __type} answer (from the view)
 * @param endpoint      graphql-kit's blocks (limits, identity, trusted documents, APQ, authorization, demand control)
 */
public record BffConfig(String name, Router router, Registry registry, Subgraph subgraph, ViewRules view,
                        Operations operations, ResponseBudget responseBudget, boolean introspection,
                        EndpointConfig endpoint) {

    /**
     * @param urls          the router instances' {@code /graphql}, tried in turn from a rotating start: a request goes to
     *                      the next one only when the connection to one could not be made (nothing was sent)
     * @param timeoutMillis from request sent to response complete; over it the operation fails (default 10 s)
     * @param batch         a batch from the app goes to the router as one batched POST (the router's
     *                      {@code batching.enabled} must be on; default false: one POST per operation)
     */
    public record Router(List<URI> urls, int timeoutMillis, boolean batch) {
        public Router(List<URI> urls, int timeoutMillis) {
            this(urls, timeoutMillis, false);
        }

        public Router {
            urls = List.copyOf(urls);
            if (urls.isEmpty()) {
                throw new GraphQLConfigException("router: at least one URL");
            }
        }

        /** The first router URL. */
        public URI url() {
            return urls.getFirst();
        }
    }

    /** @param token the admin token (read from the environment variable {@code token_env} names) */
    public record Registry(URI adminUrl, String token, int pollMillis) {
    }

    public record Subgraph(String name, String routingUrl) {
    }

    /**
     * @param source      {@code registry}: the app versions' manifests as published with {@code ./atrium operations
     *                    publish --client <app> --version <v>}; {@code none}: no trusted operations
     * @param requireId   operations must be sent by id ({@code PERSISTED_QUERY_ID_REQUIRED} otherwise)
     * @param minVersions per app name, the oldest version still served (older: {@code APP_UPDATE_REQUIRED})
     */
    public record Operations(Source source, boolean requireId, Map<String, String> minVersions) {
        public enum Source { REGISTRY, NONE }

        public Operations {
            minVersions = Map.copyOf(minVersions);
        }
    }

    /** @param defaultBytes for every operation; {@code perOperation} by operation name */
    public record ResponseBudget(int defaultBytes, Map<String, Integer> perOperation) {
        public ResponseBudget {
            perOperation = Map.copyOf(perOperation);
        }

        public int forOperation(String operationName) {
            return operationName == null ? defaultBytes : perOperation.getOrDefault(operationName, defaultBytes);
        }
    }

    private static final Set<String> TOP = Set.of("format_version", "name", "router", "registry", "subgraph", "view",
            "operations", "response_budget", "introspection", "limits", "identity", "trusted_documents", "apq",
            "authorization", "demand_control");

    /**
     * Reads a config file. The admin token's environment variable is looked up as the app's runtime sees it:
     * {@code properties} by the property name the variable maps to ({@code ATRIUM_ROUTER_ADMIN_TOKEN} is
     * {@code atrium.router.admin.token}; tests set that property), then the process environment.
     */
    public static BffConfig load(Path file, Function<String, String> properties) {
        Function<String, String> env = name -> {
            String property = properties.apply(name.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
            return property != null ? property : System.getenv(name);
        };
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new GraphQLConfigException("cannot read BFF config " + file + ": " + e.getMessage());
        }
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        BffConfig config = read(ConfigMaps.map(root == null ? Map.of() : root, file.toString()), env);
        return config.withEndpoint(config.endpoint().resolveAgainst(file.toAbsolutePath().getParent()));
    }

    public static BffConfig read(Map<String, Object> top, Function<String, String> env) {
        ConfigMaps.checkKeys(top, TOP, "");
        if (!Integer.valueOf(1).equals(top.get("format_version"))) {
            throw new GraphQLConfigException("format_version: expected 1");
        }
        String name = ConfigMaps.string(top, "name", null, "");
        if (name == null) {
            throw new GraphQLConfigException("name: required (the BFF's name, e.g. bff-mobile)");
        }
        Map<String, Object> router = block(top, "router", Set.of("url", "urls", "timeout_ms", "batch"));
        Map<String, Object> registry = block(top, "registry", Set.of("admin_url", "token_env", "poll_ms"));
        Map<String, Object> view = block(top, "view", Set.of("include_tags", "exclude_tags", "hide_unreachable"));
        Map<String, Object> ops = block(top, "operations", Set.of("source", "require_id", "min_versions"));
        Map<String, Object> budget = block(top, "response_budget", Set.of("max_bytes", "operations"));
        String tokenEnv = ConfigMaps.string(registry, "token_env", "ATRIUM_ROUTER_ADMIN_TOKEN", "registry");
        Subgraph subgraph = null;
        if (top.get("subgraph") != null) {
            Map<String, Object> s = block(top, "subgraph", Set.of("name", "routing_url"));
            subgraph = new Subgraph(ConfigMaps.string(s, "name", name, "subgraph"),
                    required(s, "routing_url", "subgraph"));
        }
        if (router.containsKey("url") && router.containsKey("urls")) {
            throw new GraphQLConfigException("router: give url or urls, not both");
        }
        List<URI> routerUrls = new java.util.ArrayList<>();
        for (String raw : router.containsKey("urls") ? strings(router, "urls", "router")
                : Set.of(ConfigMaps.string(router, "url", "http://127.0.0.1:4000/graphql", "router"))) {
            URI routerUrl = URI.create(raw);
            if (!"http".equalsIgnoreCase(routerUrl.getScheme()) || routerUrl.getHost() == null) {
                throw new GraphQLConfigException("router.url: expected an http:// URL of the router's /graphql, got '"
                        + routerUrl + "' (the BFF calls the router over keep-alive HTTP/1.1 inside the deployment; TLS "
                        + "belongs at the edge or to a service mesh)");
            }
            routerUrls.add(routerUrl);
        }
        if (routerUrls.isEmpty()) {
            throw new GraphQLConfigException("router.urls: at least one URL");
        }
        return new BffConfig(name,
                new Router(routerUrls, ConfigMaps.positiveInt(router, "timeout_ms", 10_000, "router"),
                        ConfigMaps.bool(router, "batch", false, "router")),
                new Registry(URI.create(ConfigMaps.string(registry, "admin_url", "http://127.0.0.1:9902", "registry")),
                        env.apply(tokenEnv), ConfigMaps.positiveInt(registry, "poll_ms", 1000, "registry")),
                subgraph,
                new ViewRules(strings(view, "include_tags", "view"), strings(view, "exclude_tags", "view"),
                        ConfigMaps.bool(view, "hide_unreachable", true, "view")),
                new Operations(ConfigMaps.choice(ops, "source", Operations.Source.NONE, Operations.Source.class,
                        "operations"), ConfigMaps.bool(ops, "require_id", false, "operations"),
                        stringMap(ops, "min_versions", "operations")),
                new ResponseBudget(ConfigMaps.positiveInt(budget, "max_bytes", 4 * 1024 * 1024, "response_budget"),
                        intMap(budget, "operations", "response_budget")),
                ConfigMaps.bool(top, "introspection", true, ""),
                EndpointConfig.read(top));
    }

    public BffConfig withEndpoint(EndpointConfig endpoint) {
        return new BffConfig(name, router, registry, subgraph, view, operations, responseBudget, introspection, endpoint);
    }

    private static Map<String, Object> block(Map<String, Object> top, String key, Set<String> allowed) {
        Object value = top.get(key);
        if (value == null) {
            return Map.of();
        }
        Map<String, Object> map = ConfigMaps.map(value, key);
        ConfigMaps.checkKeys(map, allowed, key);
        return map;
    }

    private static String required(Map<String, Object> map, String key, String path) {
        String value = ConfigMaps.string(map, key, null, path);
        if (value == null) {
            throw new GraphQLConfigException(path + "." + key + ": required");
        }
        return value;
    }

    private static Set<String> strings(Map<String, Object> map, String key, String path) {
        Object value = map.get(key);
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(v -> v instanceof String)) {
            throw new GraphQLConfigException(path + "." + key + ": expected a list of strings");
        }
        Set<String> out = new LinkedHashSet<>();
        list.forEach(v -> out.add((String) v));
        return out;
    }

    private static Map<String, String> stringMap(Map<String, Object> map, String key, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map.get(key) == null) {
            return out;
        }
        ConfigMaps.map(map.get(key), path + "." + key).forEach((k, v) -> {
            if (v == null) {
                throw new GraphQLConfigException(path + "." + key + "." + k + ": expected a value");
            }
            out.put(k, String.valueOf(v));
        });
        return out;
    }

    private static Map<String, Integer> intMap(Map<String, Object> map, String key, String path) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (map.get(key) == null) {
            return out;
        }
        Map<String, Object> values = ConfigMaps.map(map.get(key), path + "." + key);
        List<String> names = new ArrayList<>(values.keySet());
        for (String k : names) {
            out.put(k, ConfigMaps.positiveInt(values, k, 0, path + "." + key));
        }
        return out;
    }
}
