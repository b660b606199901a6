package io.atrium.edge.proxy;

import io.atrium.edge.config.ClusterConfig;
import io.atrium.edge.config.EdgeConfig;
import io.atrium.edge.config.RouteConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    public static RouteTable compile(EdgeConfig config) {
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
            routes.add(new Route(r.name(), r.pathPrefix(), cluster, r.prefixRewrite().orElse(null)));
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
