package io.atrium.router.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The router's declarative config ({@code format_version: 1}). Every option has a default, so an empty file
 * (or none, with {@code --supergraph}) is a valid config.
 *
 * @param supergraph            path of the supergraph SDL file (required unless given on the command line)
 * @param hotReload             watch the supergraph file and swap in valid new versions (default true)
 * @param introspection         answer {@code __schema}/{@code __type} from the API schema (default true)
 * @param planHeader            request header that asks for {@code extensions.queryPlan}; null = off (default)
 * @param defaultTimeout        per-subgraph request timeout unless overridden (default 30s)
 * @param subgraphs             per-subgraph overrides by subgraph name
 * @param forwardHeaders        client request headers copied to every subgraph request (default none)
 */
public record RouterConfig(
        String supergraph,
        boolean hotReload,
        boolean introspection,
        String planHeader,
        Duration defaultTimeout,
        Map<String, SubgraphOverride> subgraphs,
        java.util.List<String> forwardHeaders) {

    public RouterConfig {
        subgraphs = Map.copyOf(subgraphs);
        forwardHeaders = java.util.List.copyOf(forwardHeaders);
    }

    public static RouterConfig defaults() {
        return new RouterConfig(null, true, true, null, Duration.ofSeconds(30), Map.of(), java.util.List.of());
    }

    public RouterConfig withSupergraph(String path) {
        return new RouterConfig(path, hotReload, introspection, planHeader, defaultTimeout, subgraphs, forwardHeaders);
    }

    /** @param url replaces the routing URL from the supergraph when set; @param timeout replaces the default when set */
    public record SubgraphOverride(URI url, Duration timeout) {
    }
}
