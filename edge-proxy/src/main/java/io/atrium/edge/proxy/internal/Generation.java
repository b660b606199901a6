package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.Cluster;
import io.atrium.edge.proxy.RouteTable;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One config generation of the data path: its route table, the resolved endpoint addresses and the per-loop upstream
 * pools. A reload installs a new generation; exchanges in flight keep the route and pool they started with, and the
 * old generation's pools close their idle connections and stop pooling.
 */
final class Generation {

    private final RouteTable routes;
    private final UpstreamAddress[][] addresses;
    private final ConcurrentHashMap<EventLoop, LoopResources> loops = new ConcurrentHashMap<>();
    private final HealthProbes probes = new HealthProbes(this);

    Generation(RouteTable routes) {
        this.routes = routes;
        this.addresses = new UpstreamAddress[routes.clusters().size()][];
        for (Cluster cluster : routes.clusters()) {
            UpstreamAddress[] forCluster = new UpstreamAddress[cluster.endpoints().size()];
            for (int i = 0; i < forCluster.length; i++) {
                forCluster[i] = new UpstreamAddress(cluster.endpoints().get(i));
            }
            addresses[cluster.index()] = forCluster;
        }
    }

    RouteTable routes() {
        return routes;
    }

    UpstreamAddress[] addresses(Cluster cluster) {
        return addresses[cluster.index()];
    }

    /** This generation's pools on {@code loop} (created on first use, then used by that loop only). */
    LoopResources loop(EventLoop loop, DataPath dataPath) {
        LoopResources resources = loops.get(loop);
        return resources != null ? resources : loops.computeIfAbsent(loop, l -> new LoopResources(l, dataPath, this));
    }

    /** Starts the active health checks of this generation's clusters on the loops of {@code group}. */
    void startHealthChecks(EventLoopGroup group, Transport transport) {
        probes.start(group, transport);
    }

    /** Closes idle upstream connections and stops pooling, each on its own loop; stops the health checks. */
    void retire() {
        probes.stop();
        loops.forEach((loop, resources) -> loop.execute(resources::retire));
    }
}
