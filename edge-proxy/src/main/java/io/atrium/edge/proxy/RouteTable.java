package io.atrium.edge.proxy;

import io.atrium.edge.config.ClusterConfig;
import io.atrium.edge.config.EdgeConfig;
import io.atrium.edge.config.Protection;
import io.atrium.edge.observe.EdgeMetrics;
import io.atrium.edge.proxy.transform.RouteTransform;
import io.atrium.edge.config.RouteConfig;
import io.atrium.edge.config.RouteTraffic;
import io.atrium.policy.cache.CacheMetrics;
import io.atrium.policy.cache.InMemoryResponseStore;
import io.atrium.policy.cache.ResponseCache;
import io.atrium.policy.cache.ResponseStore;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.atrium.edge.config.Endpoint;
import io.atrium.policy.PolicyChain;
import io.atrium.policy.resilience.ResilienceListener;
import io.atrium.policy.resilience.ResilienceLog;
import io.atrium.policy.resilience.ResilienceMetrics;
import io.atrium.policy.resilience.UpstreamCluster;

import java.time.InstantSource;
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
                    (int) Math.min(Integer.MAX_VALUE, c.connectTimeout().toMillis()), c.responseTimeout().toNanos(), c.maxConnections(),
                    resilience(c, metrics));
            clusters.add(cluster);
            byName.put(c.name(), cluster);
        }
        List<Route> routes = new ArrayList<>();
        ResponseStore store = config.routes().stream().anyMatch(r -> r.traffic().cache().isPresent())
                ? new InMemoryResponseStore(config.cacheMaxBytes()) : null;
        CredentialRemoval credentialRemoval = CredentialRemoval.of(config.gateway().apiKeys());
        for (RouteConfig r : config.routes()) {
            Cluster cluster = byName.get(r.cluster());
            if (cluster == null) {
                throw new IllegalArgumentException("route " + r.name() + " references unknown cluster " + r.cluster());
            }
            Protection protection = r.policies().protection();
            CorsRule cors = protection.cors().map(CorsRule::new).orElse(null);
            routes.add(new Route(r.name(), r.pathPrefix(), cluster, r.prefixRewrite().orElse(null), policies.apply(r), protection, cors,
                    metrics.route(r.name(), cluster.name()), traffic(r, byName, store, metrics), r.websocket(),
                    r.policies().auth().isPublic() || r.policies().auth().forwardCredentials() ? null : credentialRemoval,
                    RouteTransform.compile(r.name(), r.transform(), metrics.registry())));
        }
        // Longest prefix first; among equal prefixes, routes with header conditions before the one without (stable sort
        // keeps file order otherwise).
        routes.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed()
                .thenComparing(r -> !r.traffic().hasHeaderConditions()));
        return new RouteTable(routes, clusters);
    }

    private static TrafficPlan traffic(RouteConfig config, Map<String, Cluster> clusters, ResponseStore store, EdgeMetrics metrics) {
        RouteTraffic t = config.traffic();
        if (t.equals(RouteTraffic.NONE)) {
            return TrafficPlan.NONE;
        }
        String[] names = new String[t.headers().size()];
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = t.headers().get(i).name();
            values[i] = t.headers().get(i).exact();
        }
        List<Cluster> split = new ArrayList<>();
        int[] weights = new int[t.split().size()];
        for (int i = 0; i < weights.length; i++) {
            split.add(clusters.get(t.split().get(i).cluster()));
            weights[i] = t.split().get(i).weight();
        }
        Cluster mirror = t.mirror().map(m -> clusters.get(m.cluster())).orElse(null);
        long mirrorMaxBody = t.mirror().map(RouteTraffic.Mirror::maxBody).orElse(0L);
        ResponseCache cache = t.cache().map(c -> new ResponseCache(c, store, InstantSource.system(),
                new CacheMetrics(metrics.registry(), config.name()))).orElse(null);
        return new TrafficPlan(names, values, split, weights, mirror, mirrorMaxBody, cache);
    }

    /** The cluster's resilience state; its listener counts on the edge's registry and logs state changes. */
    private static UpstreamCluster resilience(ClusterConfig config, EdgeMetrics metrics) {
        ResilienceListener listener = new ResilienceMetrics(metrics.registry(), config.name()).andThen(new ResilienceLog());
        UpstreamCluster.Builder builder = UpstreamCluster.builder(config.name(), config.resilience()).listener(listener);
        for (Endpoint endpoint : config.endpoints()) {
            builder.endpoint(endpoint.authority(), endpoint.weight());
        }
        return builder.build();
    }

    /** The route with the longest prefix matching the request target, or null (header conditions never hold). */
    public Route resolve(String target) {
        return resolve(target, EmptyHttpHeaders.INSTANCE);
    }

    /**
     * The route with the longest prefix matching the request target whose header conditions hold for {@code headers}
     * (a route with conditions wins over one without for the same prefix), or null.
     */
    public Route resolve(String target, HttpHeaders headers) {
        for (Route route : routes) {
            if (route.matches(target) && (!route.traffic().hasHeaderConditions() || route.traffic().matches(headers))) {
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
