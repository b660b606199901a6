package io.atrium.edge.config;

import io.atrium.edge.config.internal.YamlNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
        } catch (YAMLException e) {
            throw new EdgeConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (document == null) {
            throw new EdgeConfigException(source + ": empty file; expected at least format_version: 1");
        }
        try {
            return read(YamlNode.root(document));
        } catch (EdgeConfigException e) {
            throw new EdgeConfigException(source + ": " + e.getMessage());
        }
    }

    private static EdgeConfig read(YamlNode root) {
        YamlNode.Obj top = root.object();
        YamlNode version = top.required("format_version");
        if (!(version.value() instanceof Integer v) || v != EdgeConfig.FORMAT_VERSION) {
            throw version.error("unsupported format version " + version.value() + " (this edge reads format_version: 1)");
        }
        ListenerConfig http = top.optional("listeners").map(EdgeConfigLoader::readListeners).orElse(ListenerConfig.defaults());
        Map<String, ClusterConfig> clusters = readClusters(top.required("clusters"));
        List<RouteConfig> routes = top.optional("routes").map(n -> readRoutes(n, clusters)).orElse(List.of());
        top.finish();
        return new EdgeConfig(EdgeConfig.FORMAT_VERSION, http, clusters, routes);
    }

    private static ListenerConfig readListeners(YamlNode node) {
        YamlNode.Obj listeners = node.object();
        ListenerConfig http = listeners.optional("http").map(EdgeConfigLoader::readListener).orElse(ListenerConfig.defaults());
        listeners.finish();
        return http;
    }

    private static ListenerConfig readListener(YamlNode node) {
        YamlNode.Obj listener = node.object();
        String host = listener.optional("host").map(YamlNode::nonBlankString).orElse(ListenerConfig.DEFAULT_HOST);
        int port = listener.optional("port").map(n -> n.integer(0, 65535)).orElse(ListenerConfig.DEFAULT_PORT);
        listener.finish();
        return new ListenerConfig(host, port);
    }

    private static Map<String, ClusterConfig> readClusters(YamlNode node) {
        Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> entry : node.object().entries()) {
            clusters.put(entry.getKey(), readCluster(entry.getKey(), entry.getValue()));
        }
        if (clusters.isEmpty()) {
            throw node.error("at least one cluster is required");
        }
        return clusters;
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
        cluster.finish();
        return new ClusterConfig(name, endpoints, connectTimeout, responseTimeout, maxConnections);
    }

    private static Endpoint readEndpoint(YamlNode node) {
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

    private static List<RouteConfig> readRoutes(YamlNode node, Map<String, ClusterConfig> clusters) {
        List<RouteConfig> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (YamlNode routeNode : node.list()) {
            RouteConfig route = readRoute(routeNode, clusters);
            if (!names.add(route.name())) {
                throw new EdgeConfigException(routeNode.path() + ".name: duplicate route name '" + route.name() + "'");
            }
            if (!prefixes.add(route.pathPrefix())) {
                throw new EdgeConfigException(routeNode.path() + ".match.path_prefix: another route already matches '" + route.pathPrefix() + "'");
            }
            routes.add(route);
        }
        return routes;
    }

    private static RouteConfig readRoute(YamlNode node, Map<String, ClusterConfig> clusters) {
        YamlNode.Obj route = node.object();
        String name = route.required("name").nonBlankString();
        YamlNode.Obj match = route.required("match").object();
        YamlNode prefixNode = match.required("path_prefix");
        String prefix = path(prefixNode);
        match.finish();
        YamlNode clusterNode = route.required("cluster");
        String cluster = clusterNode.nonBlankString();
        if (!clusters.containsKey(cluster)) {
            throw clusterNode.error("unknown cluster '" + cluster + "' (defined: " + String.join(", ", clusters.keySet()) + ")");
        }
        Optional<String> rewrite = route.optional("prefix_rewrite").map(EdgeConfigLoader::path);
        route.finish();
        return new RouteConfig(name, prefix, cluster, rewrite);
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
