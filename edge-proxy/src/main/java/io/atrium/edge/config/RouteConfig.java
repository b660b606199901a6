package io.atrium.edge.config;

import java.util.Optional;

/**
 * A route.
 *
 * @param name unique route name (for logs and metrics)
 * @param pathPrefix {@code match.path_prefix}: segment-aware prefix; {@code /a/b} matches {@code /a/b}, {@code /a/b/c}
 *     and {@code /a/b?x} but not {@code /a/bc}. The longest matching prefix wins.
 * @param cluster the cluster that serves the route (the first cluster of {@code split} when the route splits)
 * @param prefixRewrite {@code prefix_rewrite}: replaces the matched prefix; {@code /} strips it; absent keeps the path
 * @param policies auth, rate limit and protection, global defaults merged in
 * @param traffic header conditions, weighted split, mirroring and response cache
 * @param websocket {@code websocket}, default false: WebSocket upgrades pass through to the upstream (HTTP/1.1 clients)
 * @param transform {@code transform} over the global block: header, query, path, Host and JSON body transformations
 */
public record RouteConfig(String name, String pathPrefix, String cluster, Optional<String> prefixRewrite, RoutePolicies policies,
                          RouteTraffic traffic, boolean websocket, TransformConfig transform) {

    public RouteConfig {
        traffic = java.util.Objects.requireNonNullElse(traffic, RouteTraffic.NONE);
        transform = java.util.Objects.requireNonNullElse(transform, TransformConfig.NONE);
    }

    /** A route without header conditions, split, mirror or cache. */
    public RouteConfig(String name, String pathPrefix, String cluster, Optional<String> prefixRewrite, RoutePolicies policies) {
        this(name, pathPrefix, cluster, prefixRewrite, policies, RouteTraffic.NONE, false, TransformConfig.NONE);
    }
}
