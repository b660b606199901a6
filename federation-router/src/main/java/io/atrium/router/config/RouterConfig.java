package io.atrium.router.config;

import io.atrium.graphql.EndpointConfig;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The router's declarative config ({@code format_version: 1}). Every option has a default, so an empty file
 * (or none, with {@code --supergraph}) is a valid config.
 *
 * @param supergraph          path of the supergraph SDL file (required unless given on the command line)
 * @param hotReload           watch the supergraph file and swap in valid new versions (default true)
 * @param introspection       answer {@code __schema}/{@code __type} from the API schema (default true)
 * @param planHeader          request header that asks for {@code extensions.queryPlan}; null = off (default)
 * @param defaultTimeout      per-subgraph request timeout unless overridden (default 30s)
 * @param defaultProtocol     protocol to subgraphs unless overridden (default {@link Protocol#HTTP1})
 * @param subgraphs           per-subgraph overrides by subgraph name
 * @param headerRules         header rules for every subgraph request (default none: no client header is sent on)
 * @param overrideLabels      progressive {@code @override} labels enabled for every request (default none)
 * @param overrideLabelHeader request header whose comma-separated labels a request enables too; null = off (default)
 * @param endpoint            graphql-kit's blocks: operation limits, body size, trusted documents, APQ
 *                            (defaults: {@link EndpointConfig#DEFAULTS})
 * @param resilience          how every subgraph is called unless overridden (default {@link SubgraphResilience#DEFAULT})
 * @param connectors          connector subgraph settings (default {@link ConnectorsConfig#NONE})
 * @param cacheControl        the answers' {@code Cache-Control} merged from the fetches' (default
 *                            {@link CacheControlConfig#DEFAULT}: on, no default max-age)
 */
public record RouterConfig(
        String supergraph,
        boolean hotReload,
        boolean introspection,
        String planHeader,
        Duration defaultTimeout,
        Protocol defaultProtocol,
        Map<String, SubgraphOverride> subgraphs,
        List<HeaderRule> headerRules,
        Set<String> overrideLabels,
        String overrideLabelHeader,
        EndpointConfig endpoint,
        SubgraphResilience resilience,
        ConnectorsConfig connectors,
        CacheControlConfig cacheControl) {

    public RouterConfig {
        resilience = java.util.Objects.requireNonNullElse(resilience, SubgraphResilience.DEFAULT);
        connectors = connectors == null ? ConnectorsConfig.NONE : connectors;
        cacheControl = cacheControl == null ? CacheControlConfig.DEFAULT : cacheControl;
        subgraphs = Map.copyOf(subgraphs);
        headerRules = List.copyOf(headerRules);
        overrideLabels = Set.copyOf(overrideLabels);
    }

    /** With the default {@code cache_control}. */
    public RouterConfig(String supergraph, boolean hotReload, boolean introspection, String planHeader,
                        Duration defaultTimeout, Protocol defaultProtocol, Map<String, SubgraphOverride> subgraphs,
                        List<HeaderRule> headerRules, Set<String> overrideLabels, String overrideLabelHeader,
                        EndpointConfig endpoint, SubgraphResilience resilience, ConnectorsConfig connectors) {
        this(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs, headerRules,
                overrideLabels, overrideLabelHeader, endpoint, resilience, connectors, CacheControlConfig.DEFAULT);
    }

    /** Without connector settings. */
    public RouterConfig(String supergraph, boolean hotReload, boolean introspection, String planHeader,
                        Duration defaultTimeout, Protocol defaultProtocol, Map<String, SubgraphOverride> subgraphs,
                        List<HeaderRule> headerRules, Set<String> overrideLabels, String overrideLabelHeader,
                        EndpointConfig endpoint, SubgraphResilience resilience) {
        this(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs, headerRules,
                overrideLabels, overrideLabelHeader, endpoint, resilience, ConnectorsConfig.NONE);
    }

    /** With the default subgraph resilience and no connector settings. */
    public RouterConfig(String supergraph, boolean hotReload, boolean introspection, String planHeader,
                        Duration defaultTimeout, Protocol defaultProtocol, Map<String, SubgraphOverride> subgraphs,
                        List<HeaderRule> headerRules, Set<String> overrideLabels, String overrideLabelHeader,
                        EndpointConfig endpoint) {
        this(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs, headerRules,
                overrideLabels, overrideLabelHeader, endpoint, SubgraphResilience.DEFAULT, ConnectorsConfig.NONE);
    }

    /** Without graphql-kit's blocks (their defaults). */
    public RouterConfig(String supergraph, boolean hotReload, boolean introspection, String planHeader,
                        Duration defaultTimeout, Protocol defaultProtocol, Map<String, SubgraphOverride> subgraphs,
                        List<HeaderRule> headerRules, Set<String> overrideLabels, String overrideLabelHeader) {
        this(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs, headerRules,
                overrideLabels, overrideLabelHeader, EndpointConfig.DEFAULTS);
    }

    /** The first slice's shape: {@code forwardHeaders} become propagate rules for all subgraphs. */
    public RouterConfig(String supergraph, boolean hotReload, boolean introspection, String planHeader,
                        Duration defaultTimeout, Map<String, SubgraphOverride> subgraphs, List<String> forwardHeaders) {
        this(supergraph, hotReload, introspection, planHeader, defaultTimeout, Protocol.HTTP1, subgraphs,
                forwardHeaders.stream().<HeaderRule>map(h -> new HeaderRule.Propagate(h, h)).toList(), Set.of(), null,
                EndpointConfig.DEFAULTS);
    }

    public static RouterConfig defaults() {
        return new RouterConfig(null, true, true, null, Duration.ofSeconds(30), Protocol.HTTP1, Map.of(), List.of(),
                Set.of(), null, EndpointConfig.DEFAULTS);
    }

    public RouterConfig withSupergraph(String path) {
        return new RouterConfig(path, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs,
                headerRules, overrideLabels, overrideLabelHeader, endpoint, resilience, connectors, cacheControl);
    }

    public RouterConfig withEndpoint(EndpointConfig replacement) {
        return new RouterConfig(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs,
                headerRules, overrideLabels, overrideLabelHeader, replacement, resilience, connectors, cacheControl);
    }

    public RouterConfig withConnectors(ConnectorsConfig replacement) {
        return new RouterConfig(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs,
                headerRules, overrideLabels, overrideLabelHeader, endpoint, resilience, replacement, cacheControl);
    }

    public RouterConfig withCacheControl(CacheControlConfig replacement) {
        return new RouterConfig(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs,
                headerRules, overrideLabels, overrideLabelHeader, endpoint, resilience, connectors, replacement);
    }

    /** The URLs of a subgraph: the config's {@code urls} or {@code url}, else {@code routingUrl} (may be null). */
    public List<java.net.URI> urlsFor(String subgraph, java.net.URI routingUrl) {
        SubgraphOverride override = subgraphs.get(subgraph);
        if (override != null && !override.urls().isEmpty()) {
            return override.urls();
        }
        return routingUrl == null ? List.of() : List.of(routingUrl);
    }

    /** How a subgraph is called: its own resilience blocks over the defaults'. */
    public SubgraphResilience resilienceFor(String subgraph) {
        SubgraphOverride override = subgraphs.get(subgraph);
        return override != null && override.resilience() != null ? override.resilience() : resilience;
    }

    /** Every client header some propagate rule names: the only ones the router reads from a request. */
    public Set<String> propagatedHeaders() {
        Set<String> names = new LinkedHashSet<>();
        for (HeaderRule rule : headerRules) {
            if (rule instanceof HeaderRule.Propagate p) {
                names.add(p.name());
            }
        }
        for (SubgraphOverride override : subgraphs.values()) {
            for (HeaderRule rule : override.headerRules()) {
                if (rule instanceof HeaderRule.Propagate p) {
                    names.add(p.name());
                }
            }
        }
        return names;
    }

    /** The rules for one subgraph: those for all, then its own. */
    public List<HeaderRule> headerRulesFor(String subgraph) {
        SubgraphOverride override = subgraphs.get(subgraph);
        if (override == null || override.headerRules().isEmpty()) {
            return headerRules;
        }
        List<HeaderRule> all = new java.util.ArrayList<>(headerRules);
        all.addAll(override.headerRules());
        return List.copyOf(all);
    }

    /** The subgraph request headers for a request's client headers (lower-case names). */
    public static Map<String, String> applyHeaderRules(List<HeaderRule> rules, Map<String, String> clientHeaders) {
        return HeaderRule.apply(rules, clientHeaders);
    }

    /**
     * How the router talks to a subgraph. {@code H2C}: HTTP/2 without TLS, as the JDK client offers it — an
     * HTTP/1.1 request with {@code Upgrade: h2c} on each new connection, HTTP/2 on that connection once the
     * subgraph accepts (HTTP/1.1 otherwise). There is no prior-knowledge mode: a subgraph that only speaks h2c
     * with prior knowledge cannot be reached with it. For https URLs both modes negotiate with ALPN
     * ({@code H2C} then prefers HTTP/2).
     */
    public enum Protocol { HTTP1, H2C }

    /**
     * @param url         replaces the routing URL from the supergraph when set (the first of {@code urls})
     * @param timeout     replaces the default when set
     * @param protocol    replaces the default when set
     * @param headerRules rules run after those for all subgraphs
     * @param urls        every URL of the subgraph, load-balanced (empty: {@code url}, else the routing URL)
     * @param resilience  replaces the defaults' when set (null: {@link RouterConfig#resilience()})
     */
    public record SubgraphOverride(URI url, Duration timeout, Protocol protocol, List<HeaderRule> headerRules,
                                   List<URI> urls, SubgraphResilience resilience) {
        public SubgraphOverride {
            headerRules = List.copyOf(headerRules);
            urls = urls == null || urls.isEmpty() ? (url == null ? List.of() : List.of(url)) : List.copyOf(urls);
            url = url == null && !urls.isEmpty() ? urls.getFirst() : url;
        }

        public SubgraphOverride(URI url, Duration timeout, Protocol protocol, List<HeaderRule> headerRules) {
            this(url, timeout, protocol, headerRules, List.of(), null);
        }

        public SubgraphOverride(URI url, Duration timeout) {
            this(url, timeout, null, List.of());
        }
    }
}
