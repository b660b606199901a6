package io.atrium.edge.config;

import io.atrium.edge.config.internal.PolicyReader;
import io.atrium.edge.config.internal.TransformReader;
import io.atrium.edge.config.internal.ResilienceReader;
import io.atrium.policy.cache.CacheConfig;
import io.atrium.policy.cache.InMemoryResponseStore;
import io.atrium.policy.resilience.ClusterResilienceConfig;
import io.atrium.edge.config.internal.YamlNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates the edge route file. Strict: unknown keys, wrong types, dangling cluster references and
 * duplicate names or prefixes fail with the path of the offending key.
 */
public final class EdgeConfigLoader {

    /** Classpath location of the bundled default (the local-stack routes). */
    public static final String DEFAULT_RESOURCE = "/io/atrium/edge/default-routes.yaml";

    private EdgeConfigLoader() {
    }

    public static EdgeConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EdgeConfigException("cannot read edge config " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static EdgeConfig loadDefault() {
        try (InputStream in = EdgeConfigLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new EdgeConfigException("bundled default edge config " + DEFAULT_RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new EdgeConfigException("cannot read bundled default edge config: " + e.getMessage(), e);
        }
    }

    public static EdgeConfig parse(String yaml, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Object document;
        try {
            document = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (RuntimeException e) {
            // YAMLException, and what SnakeYAML throws besides it for malformed documents: a !!binary that is not Base64
            // (IllegalArgumentException), a tag on the wrong kind of node (ClassCastException); found by RouteFileFuzz
            throw new EdgeConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (document == null) {
            throw new EdgeConfigException(source + ": empty file; expected at least format_version: 1");
        }
        try {
            return read(YamlNode.root(document));
        } catch (EdgeConfigException e) {
            throw new EdgeConfigException(source, e.errors());
        }
    }

    /** Collects errors of independent parts (each listener, block, cluster and route) so that one load reports them all. */
    private static final class Errors {
        private final List<String> messages = new ArrayList<>();

        <T> T attempt(java.util.function.Supplier<T> part, T fallback) {
            try {
                return part.get();
            } catch (EdgeConfigException e) {
                messages.addAll(e.errors());
                return fallback;
            }
        }

        void add(String message) {
            messages.add(message);
        }

        void throwIfAny() {
            if (!messages.isEmpty()) {
                throw new EdgeConfigException(messages);
            }
        }
    }

    private static EdgeConfig read(YamlNode root) {
        YamlNode.Obj top = root.object();
        YamlNode version = top.required("format_version");
        if (!(version.value() instanceof Integer v) || v != EdgeConfig.FORMAT_VERSION) {
            throw version.error("unsupported format version " + version.value() + " (this edge reads format_version: 1)");
        }
        Errors errors = new Errors();
        ListenerConfig http = ListenerConfig.defaults();
        Optional<TlsListenerConfig> https = Optional.empty();
        Optional<YamlNode> listenersNode = top.optional("listeners");
        if (listenersNode.isPresent()) {
            YamlNode.Obj listeners = errors.attempt(() -> listenersNode.get().object(), null);
            if (listeners != null) {
                http = errors.attempt(() -> listeners.optional("http").map(EdgeConfigLoader::readListener).orElse(ListenerConfig.defaults()), http);
                https = errors.attempt(() -> listeners.optional("https").map(EdgeConfigLoader::readTlsListener), https);
                errors.attempt(() -> {
                    listeners.finish();
                    return null;
                }, null);
            }
        }
        PolicyReader.Globals globals = errors.attempt(() -> PolicyReader.readGlobals(top), null);
        boolean accessLog = errors.attempt(() -> top.optional("access_log").map(EdgeConfigLoader::readAccessLog).orElse(true), true);
        long cacheMaxBytes = errors.attempt(() -> top.optional("cache").map(n -> {
            YamlNode.Obj cache = n.object();
            long size = cache.optional("max_size").map(m -> m.byteSize(1024, 64L * 1024 * 1024 * 1024)).orElse(InMemoryResponseStore.DEFAULT_MAX_BYTES);
            cache.finish();
            return size;
        }).orElse(InMemoryResponseStore.DEFAULT_MAX_BYTES), InMemoryResponseStore.DEFAULT_MAX_BYTES);
        Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
        Set<String> clusterNames = new LinkedHashSet<>();
        errors.attempt(() -> readClusters(top.required("clusters"), clusters, clusterNames, errors), null);
        List<RouteConfig> routes = globals == null ? List.of()
                : errors.attempt(() -> top.optional("routes").map(n -> readRoutes(n, clusterNames, globals, errors)).orElse(List.of()), List.of());
        errors.attempt(() -> {
            top.finish();
            return null;
        }, null);
        if (https.isEmpty()) {
            for (int i = 0; i < routes.size(); i++) {
                if (routes.get(i).policies().protection().redirectToHttps()) {
                    errors.add("routes[" + i + "].redirect_to_https: needs an HTTPS listener (listeners.https)");
                }
            }
        }
        errors.throwIfAny();
        return new EdgeConfig(EdgeConfig.FORMAT_VERSION, http, https, clusters, routes, globals.gateway(), globals.maxHeaderSize(), accessLog, cacheMaxBytes,
                globals.timeouts());
    }

    private static boolean readAccessLog(YamlNode node) {
        YamlNode.Obj block = node.object();
        boolean enabled = block.optional("enabled").map(YamlNode::bool).orElse(true);
        block.finish();
        return enabled;
    }

    private static TlsListenerConfig readTlsListener(YamlNode node) {
        YamlNode.Obj listener = node.object();
        String host = listener.optional("host").map(YamlNode::nonBlankString).orElse(ListenerConfig.DEFAULT_HOST);
        int port = listener.optional("port").map(n -> n.integer(0, 65535)).orElse(TlsListenerConfig.DEFAULT_PORT);
        Optional<Path> cert = listener.optional("cert_file").map(n -> Path.of(n.nonBlankString()));
        Optional<Path> key = listener.optional("key_file").map(n -> Path.of(n.nonBlankString()));
        Optional<Integer> redirectPort = listener.optional("redirect_port").map(n -> n.integer(1, 65535));
        Path devDir = listener.optional("dev_cert_dir").map(n -> Path.of(n.nonBlankString())).orElse(TlsListenerConfig.DEFAULT_DEV_CERT_DIR);
        listener.finish();
        if (cert.isPresent() != key.isPresent()) {
            throw node.error("cert_file and key_file go together (leave both out for a generated development certificate)");
        }
        for (Optional<Path> file : List.of(cert, key)) {
            if (file.isPresent() && !Files.isReadable(file.get())) {
                throw node.error("cannot read " + file.get().toAbsolutePath());
            }
        }
        return new TlsListenerConfig(host, port, cert, key, redirectPort, devDir);
    }

    private static ListenerConfig readListener(YamlNode node) {
        YamlNode.Obj listener = node.object();
        String host = listener.optional("host").map(YamlNode::nonBlankString).orElse(ListenerConfig.DEFAULT_HOST);
        int port = listener.optional("port").map(n -> n.integer(0, 65535)).orElse(ListenerConfig.DEFAULT_PORT);
        listener.finish();
        return new ListenerConfig(host, port);
    }

    private static Void readClusters(YamlNode node, Map<String, ClusterConfig> clusters, Set<String> names, Errors errors) {
        List<Map.Entry<String, YamlNode>> entries = node.object().entries();
        for (Map.Entry<String, YamlNode> entry : entries) {
            names.add(entry.getKey());
            ClusterConfig cluster = errors.attempt(() -> readCluster(entry.getKey(), entry.getValue()), null);
            if (cluster != null) {
                clusters.put(entry.getKey(), cluster);
            }
        }
        if (entries.isEmpty()) {
            throw node.error("at least one cluster is required");
        }
        return null;
    }

    private static ClusterConfig readCluster(String name, YamlNode node) {
        YamlNode.Obj cluster = node.object();
        YamlNode endpointsNode = cluster.required("endpoints");
        List<Endpoint> endpoints = new ArrayList<>();
        for (YamlNode endpoint : endpointsNode.list()) {
            endpoints.add(readEndpoint(endpoint));
        }
        if (endpoints.isEmpty()) {
            throw endpointsNode.error("at least one endpoint is required");
        }
        var connectTimeout = cluster.optional("connect_timeout").map(YamlNode::duration).orElse(ClusterConfig.DEFAULT_CONNECT_TIMEOUT);
        var responseTimeout = cluster.optional("response_timeout").map(YamlNode::duration).orElse(ClusterConfig.DEFAULT_RESPONSE_TIMEOUT);
        int maxConnections = cluster.optional("max_connections").map(n -> n.integer(1, 1_000_000)).orElse(ClusterConfig.DEFAULT_MAX_CONNECTIONS);
        ClusterResilienceConfig resilience = ResilienceReader.read(cluster);
        cluster.finish();
        return new ClusterConfig(name, endpoints, connectTimeout, responseTimeout, maxConnections, resilience);
    }

    private static Endpoint readEndpoint(YamlNode node) {
        if (node.value() instanceof java.util.Map<?, ?>) {
            YamlNode.Obj entry = node.object();
            Endpoint endpoint = readEndpoint(entry.required("url"));
            int weight = entry.optional("weight").map(n -> n.integer(1, 1000)).orElse(1);
            entry.finish();
            return new Endpoint(endpoint.host(), endpoint.port(), weight);
        }
        String text = node.nonBlankString();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw node.error("not a URL: '" + text + "'");
        }
        if (!"http".equals(uri.getScheme())) {
            throw node.error("'" + text + "': only http:// endpoints are supported");
        }
        if (uri.getHost() == null) {
            throw node.error("'" + text + "': missing host");
        }
        boolean hasPath = uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/");
        if (hasPath || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw node.error("'" + text + "': an endpoint is scheme, host and port only (use prefix_rewrite for paths)");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new Endpoint(host, uri.getPort() == -1 ? 80 : uri.getPort());
    }

    private static List<RouteConfig> readRoutes(YamlNode node, Set<String> clusters, PolicyReader.Globals globals, Errors errors) {
        List<RouteConfig> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (YamlNode routeNode : node.list()) {
            RouteConfig route = errors.attempt(() -> readRoute(routeNode, clusters, globals), null);
            if (route == null) {
                continue;
            }
            if (!names.add(route.name())) {
                errors.add(routeNode.path() + ".name: duplicate route name '" + route.name() + "'");
            } else if (!prefixes.add(route.pathPrefix() + "\u0000" + java.util.Set.copyOf(route.traffic().headers()))) {
                errors.add(routeNode.path() + ".match.path_prefix: another route already matches '" + route.pathPrefix() + "'"
                        + (route.traffic().headers().isEmpty() ? "" : " with the same header conditions"));
            } else {
                routes.add(route);
            }
        }
        return routes;
    }

    private static RouteConfig readRoute(YamlNode node, Set<String> clusters, PolicyReader.Globals globals) {
        YamlNode.Obj route = node.object();
        String name = route.required("name").nonBlankString();
        YamlNode.Obj match = route.required("match").object();
        YamlNode prefixNode = match.required("path_prefix");
        String prefix = path(prefixNode);
        List<RouteTraffic.HeaderMatch> headers = match.optional("headers").map(EdgeConfigLoader::readHeaderMatches).orElse(List.of());
        match.finish();
        Optional<YamlNode> clusterNode = route.optional("cluster");
        Optional<YamlNode> splitNode = route.optional("split");
        List<RouteTraffic.WeightedCluster> split = splitNode.map(n -> readSplit(n, clusters)).orElse(List.of());
        String cluster;
        if (clusterNode.isPresent() == splitNode.isPresent()) {
            throw route.node().error("exactly one of 'cluster' and 'split' is required");
        } else if (clusterNode.isPresent()) {
            cluster = clusterRef(clusterNode.get(), clusters);
        } else {
            cluster = split.getFirst().cluster();
        }
        Optional<String> rewrite = route.optional("prefix_rewrite").map(EdgeConfigLoader::path);
        RoutePolicies policies = PolicyReader.readRoute(route, globals);
        Optional<RouteTraffic.Mirror> mirror = route.optional("mirror").map(n -> {
            YamlNode.Obj m = n.object();
            String shadow = clusterRef(m.required("cluster"), clusters);
            long maxBody = m.optional("max_body").map(b -> b.byteSize(0, 16L * 1024 * 1024)).orElse(RouteTraffic.Mirror.DEFAULT_MAX_BODY);
            m.finish();
            return new RouteTraffic.Mirror(shadow, maxBody);
        });
        Optional<CacheConfig> cache = route.optional("cache").map(n -> readCache(n, !policies.auth().isPublic()));
        boolean websocket = route.optional("websocket").map(YamlNode::bool).orElse(false);
        Optional<YamlNode> transformNode = route.optional("transform");
        TransformConfig transform = TransformReader.compile(globals.transform(), TransformReader.leaves(transformNode));
        route.finish();
        if (transform.response().json().isPresent() && cache.isPresent()) {
            throw route.node().error("transform.response.json cannot be combined with cache (the cache would store the untransformed body)");
        }
        if (transform.request().path().isPresent() && rewrite.isPresent()) {
            throw route.node().error("transform.request.path replaces prefix_rewrite: set only one of them");
        }
        return new RouteConfig(name, prefix, cluster, rewrite, policies, new RouteTraffic(headers, split, mirror, cache), websocket, transform);
    }

    private static String clusterRef(YamlNode node, Set<String> clusters) {
        String cluster = node.nonBlankString();
        if (!clusters.contains(cluster)) {
            throw node.error("unknown cluster '" + cluster + "' (defined: " + String.join(", ", clusters) + ")");
        }
        return cluster;
    }

    private static List<RouteTraffic.HeaderMatch> readHeaderMatches(YamlNode node) {
        List<RouteTraffic.HeaderMatch> out = new ArrayList<>();
        for (YamlNode item : node.list()) {
            YamlNode.Obj m = item.object();
            String name = m.required("name").nonBlankString();
            Optional<String> exact = m.optional("exact").map(YamlNode::string);
            boolean present = m.optional("present").map(YamlNode::bool).orElse(exact.isEmpty());
            m.finish();
            if (exact.isPresent() == present) {
                throw item.error("a header condition has either 'exact: <value>' or 'present: true'");
            }
            out.add(new RouteTraffic.HeaderMatch(name, exact.orElse(null)));
        }
        return out;
    }

    private static List<RouteTraffic.WeightedCluster> readSplit(YamlNode node, Set<String> clusters) {
        List<RouteTraffic.WeightedCluster> out = new ArrayList<>();
        for (YamlNode item : node.list()) {
            YamlNode.Obj s = item.object();
            String cluster = clusterRef(s.required("cluster"), clusters);
            int weight = s.required("weight").integer(0, 10_000);
            s.finish();
            out.add(new RouteTraffic.WeightedCluster(cluster, weight));
        }
        if (out.isEmpty() || out.stream().mapToInt(RouteTraffic.WeightedCluster::weight).sum() == 0) {
            throw node.error("a split needs at least one cluster with a positive weight");
        }
        return out;
    }

    private static CacheConfig readCache(YamlNode node, boolean authenticated) {
        YamlNode.Obj c = node.object();
        boolean enabled = c.optional("enabled").map(YamlNode::bool).orElse(true);
        long maxEntry = c.optional("max_entry_bytes").map(n -> n.byteSize(1, CacheConfig.MAX_MAX_ENTRY_BYTES)).orElse(CacheConfig.DEFAULT_MAX_ENTRY_BYTES);
        Duration staleIfError = c.optional("stale_if_error").map(YamlNode::durationOrZero).orElse(Duration.ZERO);
        Duration heuristic = c.optional("heuristic_freshness_max").map(YamlNode::durationOrZero).orElse(Duration.ZERO);
        c.finish();
        if (!enabled) {
            return null;
        }
        try {
            return new CacheConfig(maxEntry, staleIfError, heuristic, authenticated);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static String path(YamlNode node) {
        String p = node.nonBlankString();
        if (!p.startsWith("/")) {
            throw node.error("must start with '/', was '" + p + "'");
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '?' || c == '#' || c <= ' ' || c >= 0x7f) {
                throw node.error("'" + p + "' may contain path characters only (no query, fragment, spaces or non-ASCII)");
            }
        }
        return p;
    }
}
