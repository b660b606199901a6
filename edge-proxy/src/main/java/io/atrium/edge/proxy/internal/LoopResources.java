package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.Cluster;
import io.netty.channel.EventLoop;

/** Per-event-loop state: one connection pool per cluster endpoint. Used by that loop only. */
final class LoopResources {

    private final EndpointPool[][] pools;
    private final MirrorSender mirrors;

    LoopResources(EventLoop loop, DataPath dataPath, Generation generation) {
        var clusters = generation.routes().clusters();
        this.mirrors = new MirrorSender(loop, dataPath.transport(), generation, dataPath.stats());
        this.pools = new EndpointPool[clusters.size()][];
        for (Cluster cluster : clusters) {
            UpstreamAddress[] addresses = generation.addresses(cluster);
            EndpointPool[] endpointPools = new EndpointPool[addresses.length];
            int perLoop = Math.max(1, (cluster.maxConnections() + dataPath.ioThreads() - 1) / dataPath.ioThreads());
            for (int i = 0; i < addresses.length; i++) {
                endpointPools[i] = new EndpointPool(loop, dataPath.transport(), addresses[i], cluster.connectTimeoutMillis(), perLoop, dataPath.stats());
            }
            pools[cluster.index()] = endpointPools;
        }
    }

    /** Runs on this loop once a newer generation is installed. */
    void retire() {
        for (EndpointPool[] endpointPools : pools) {
            for (EndpointPool pool : endpointPools) {
                pool.retire();
            }
        }
    }

    MirrorSender mirrors() {
        return mirrors;
    }

    /** This loop's pool of endpoint {@code endpointIndex} (the resilience library's {@code ClusterEndpoint.index()}). */
    EndpointPool pool(Cluster cluster, int endpointIndex) {
        return pools[cluster.index()][endpointIndex];
    }
}
