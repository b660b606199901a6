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
 * @param connectors          connector subgraph settings (default {@link ConnectorsConfig#NONE})
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
        ConnectorsConfig connectors) {

    public RouterConfig {
        connectors = connectors == null ? ConnectorsConfig.NONE : connectors;
        subgraphs = Map.copyOf(subgraphs);
        headerRules = List.copyOf(headerRules);
        overrideLabels = Set.copyOf(overrideLabels);
    }

    /** Without graphql-kit's blocks (their defaults). */
    public RouterConfig(String supergraph, boolean hotReload, boolean introspection, String planHeader,
                        Duration defaultTimeout, Protocol defaultProtocol, Map<String, SubgraphOverride> subgraphs,
                        List<HeaderRule> headerRules, Set<String> overrideLabels, String overrideLabelHeader) {
        this(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs, headerRules,
                overrideLabels, overrideLabelHeader, EndpointConfig.DEFAULTS, ConnectorsConfig.NONE);
    }

    /** Without the connectors block (no connector settings). */
    public RouterConfig(String supergraph, boolean hotReload, boolean introspection, String planHeader,
                        Duration defaultTimeout, Protocol defaultProtocol, Map<String, SubgraphOverride> subgraphs,
                        List<HeaderRule> headerRules, Set<String> overrideLabels, String overrideLabelHeader,
                        EndpointConfig endpoint) {
        this(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs, headerRules,
                overrideLabels, overrideLabelHeader, endpoint, ConnectorsConfig.NONE);
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
                headerRules, overrideLabels, overrideLabelHeader, endpoint, connectors);
    }

    public RouterConfig withEndpoint(EndpointConfig replacement) {
        return new RouterConfig(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs,
                headerRules, overrideLabels, overrideLabelHeader, replacement, connectors);
    }

    public RouterConfig withConnectors(ConnectorsConfig replacement) {
        return new RouterConfig(supergraph, hotReload, introspection, planHeader, defaultTimeout, defaultProtocol, subgraphs,
                headerRules, overrideLabels, overrideLabelHeader, endpoint, replacement);
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
     * @param url         replaces the routing URL from the supergraph when set
     * @param timeout     replaces the default when set
     * @param protocol    replaces the default when set
     * @param headerRules rules run after those for all subgraphs
     */
    public record SubgraphOverride(URI url, Duration timeout, Protocol protocol, List<HeaderRule> headerRules) {
        public SubgraphOverride {
            headerRules = List.copyOf(headerRules);
        }

        public SubgraphOverride(URI url, Duration timeout) {
            this(url, timeout, null, List.of());
        }
    }
}
