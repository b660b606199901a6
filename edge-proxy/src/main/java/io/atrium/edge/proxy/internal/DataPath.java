package io.atrium.edge.proxy.internal;

import io.atrium.edge.config.Endpoint;
import io.atrium.edge.proxy.Cluster;
import io.atrium.edge.proxy.ProxyStats;
import io.atrium.edge.proxy.RouteTable;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Everything the data path shares across I/O threads. Immutable except the counters and the draining flag. */
public final class DataPath {

    private final RouteTable routes;
    private final ProxyStats stats;
    private final int ioThreads;
    private final Transport transport;
    private final UpstreamAddress[][] addresses;
    private final ConcurrentHashMap<EventLoop, LoopResources> loops = new ConcurrentHashMap<>();
    private final LongAdder activeExchanges = new LongAdder();
    private volatile boolean draining;

    public DataPath(RouteTable routes, ProxyStats stats, int ioThreads, Transport transport) {
        this.routes = routes;
        this.stats = stats;
        this.ioThreads = ioThreads;
        this.transport = transport;
        this.addresses = new UpstreamAddress[routes.clusters().size()][];
        for (Cluster cluster : routes.clusters()) {
            UpstreamAddress[] forCluster = new UpstreamAddress[cluster.endpoints().size()];
            for (int i = 0; i < forCluster.length; i++) {
                Endpoint endpoint = cluster.endpoints().get(i);
                forCluster[i] = new UpstreamAddress(endpoint);
            }
            addresses[cluster.index()] = forCluster;
        }
    }

    /** The initializer of accepted client connections. */
    public ChannelInitializer<SocketChannel> clientInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                LoopResources loop = loops.computeIfAbsent(ch.eventLoop(), l -> new LoopResources(l, DataPath.this));
                ch.pipeline().addLast(new HttpServerCodec(), new ClientConnection(DataPath.this, loop));
            }
        };
    }

    /** After this, every response asks the client to close its connection. */
    public void startDraining() {
        draining = true;
    }

    /** Requests between their first byte and the end of their response. */
    public long activeExchanges() {
        return activeExchanges.sum();
    }

    RouteTable routes() {
        return routes;
    }

    ProxyStats stats() {
        return stats;
    }

    Transport transport() {
        return transport;
    }

    int ioThreads() {
        return ioThreads;
    }

    UpstreamAddress[] addresses(Cluster cluster) {
        return addresses[cluster.index()];
    }

    boolean draining() {
        return draining;
    }

    void exchangeStarted() {
        activeExchanges.increment();
    }

    void exchangeEnded() {
        activeExchanges.decrement();
    }
}
