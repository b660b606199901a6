package io.atrium.edge.proxy;

import io.atrium.edge.config.EdgeConfig;
import io.atrium.edge.proxy.internal.DataPath;
import io.atrium.edge.proxy.internal.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The data-path listener: our own Netty pipeline ({@code HttpServerCodec} plus the streaming proxy handler), independent
 * of Micronaut's HTTP server. Client and upstream connections share one group of I/O threads; an upstream connection
 * always lives on the thread of the client connection it serves.
 */
public final class EdgeServer implements AutoCloseable {

    /** How long {@link #close()} waits for requests in flight before cutting connections. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final RouteTable routes;
    private final ProxyStats stats;
    private final DataPath dataPath;
    private final EventLoopGroup group;
    private final Channel listener;
    private final int port;
    private final String transport;
    private volatile boolean closed;

    private EdgeServer(RouteTable routes, ProxyStats stats, DataPath dataPath, EventLoopGroup group, Channel listener, String transport) {
        this.transport = transport;
        this.routes = routes;
        this.stats = stats;
        this.dataPath = dataPath;
        this.group = group;
        this.listener = listener;
        this.port = ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Binds the listener of {@code config} with one I/O thread per available processor; blocks until bound. */
    public static EdgeServer start(EdgeConfig config) {
        return start(config, Runtime.getRuntime().availableProcessors());
    }

    public static EdgeServer start(EdgeConfig config, int ioThreads) {
        RouteTable routes = RouteTable.compile(config);
        ProxyStats stats = new ProxyStats();
        Transport transport = Transport.best();
        DataPath dataPath = new DataPath(routes, stats, ioThreads, transport);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("atrium-edge-io"), transport.ioHandlerFactory());
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(dataPath.clientInitializer())
                    .bind(config.http().host(), config.http().port())
                    .syncUninterruptibly()
                    .channel();
            return new EdgeServer(routes, stats, dataPath, group, listener, transport.name());
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** The bound data port (the actual one when the config asked for port 0). */
    public int port() {
        return port;
    }

    /** The I/O transport in use: {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    public RouteTable routes() {
        return routes;
    }

    public ProxyStats stats() {
        return stats;
    }

    public boolean isListening() {
        return !closed && listener.isActive();
    }

    /**
     * Stops accepting, lets requests in flight finish (up to {@link #DRAIN_TIMEOUT}; responses meanwhile ask clients to
     * close), then closes every connection and stops the I/O threads.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dataPath.startDraining();
        listener.close().syncUninterruptibly();
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (dataPath.activeExchanges() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
