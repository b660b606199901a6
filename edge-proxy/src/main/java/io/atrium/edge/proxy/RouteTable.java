package io.atrium.edge.proxy;

import io.atrium.edge.config.ClusterConfig;
import io.atrium.edge.config.EdgeConfig;
import io.atrium.edge.config.Protection;
import io.atrium.edge.observe.EdgeMetrics;
import io.atrium.edge.config.RouteConfig;
import io.atrium.policy.PolicyChain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The immutable route table built once from the config: routes ordered longest prefix first, clusters by index.
 * Nothing is looked up by name on the request path.
 */
public final class RouteTable {

    private final Route[] routes;
    private final List<Cluster> clusters;

    private RouteTable(List<Route> routes, List<Cluster> clusters) {
        this.routes = routes.toArray(Route[]::new);
        this.clusters = List.copyOf(clusters);
    }

    /**
     * Compiles {@code config}; {@code policies} builds each route's chain once (null when the route has nothing to run),
     * {@code metrics} provides each route's meters.
     */
    public static RouteTable compile(EdgeConfig config, Function<RouteConfig, PolicyChain> policies, EdgeMetrics metrics) {
        List<Cluster> clusters = new ArrayList<>();
        Map<String, Cluster> byName = new HashMap<>();
        for (ClusterConfig c : config.clusters().values()) {
            Cluster cluster = new Cluster(clusters.size(), c.name(), c.endpoints(),
                    (int) Math.min(Integer.MAX_VALUE, c.connectTimeout().toMillis()), c.responseTimeout().toNanos(), c.maxConnections());
            clusters.add(cluster);
            byName.put(c.name(), cluster);
        }
        List<Route> routes = new ArrayList<>();
        for (RouteConfig r : config.routes()) {
            Cluster cluster = byName.get(r.cluster());
            if (cluster == null) {
                throw new IllegalArgumentException("route " + r.name() + " references unknown cluster " + r.cluster());
            }
            Protection protection = r.policies().protection();
            CorsRule cors = protection.cors().map(CorsRule::new).orElse(null);
            routes.add(new Route(r.name(), r.pathPrefix(), cluster, r.prefixRewrite().orElse(null), policies.apply(r), protection, cors,
                    metrics.route(r.name(), cluster.name())));
        }
        routes.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
        return new RouteTable(routes, clusters);
    }

    /** The route with the longest prefix matching the request target, or null. */
    public Route resolve(String target) {
        for (Route route : routes) {
            if (route.matches(target)) {
                return route;
            }
        }
        return null;
    }

    public List<Route> routes() {
        return List.of(routes);
    }

    public List<Cluster> clusters() {
        return clusters;
    }
}
