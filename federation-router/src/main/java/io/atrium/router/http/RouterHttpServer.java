package io.atrium.router.http;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.ApplicationConfiguration;
import io.micronaut.runtime.server.EmbeddedServer;
import io.atrium.policy.observability.ProcessFacts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.MalformedURLException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's HTTP server ({@code /graphql}, {@code /health}) on a Netty pipeline of its own, as Micronaut's
 * embedded server: Micronaut keeps configuration, DI and the lifecycle, the request path is ours. A router request
 * is short and entirely non-blocking (parse and plan from caches, subgraph fetches on the same event loop), so the
 * generic routing, filter and body-binding layers of a framework server were a fifth of its CPU.
 *
 * <p>Native epoll where available, NIO elsewhere; one event loop per core. The subgraph connections of a request
 * live on the loop of its client connection ({@link io.atrium.router.transport.NettySubgraphTransport}).
 * {@link #stop()} (SIGTERM through Micronaut's shutdown) stops accepting, lets requests in flight finish for up to
 * {@link #DRAIN_SECONDS} seconds, then closes the connections.
 */
@Singleton
public final class RouterHttpServer implements EmbeddedServer {
    private static final Logger LOG = LoggerFactory.getLogger(RouterHttpServer.class);
    static final int DRAIN_SECONDS = 10;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int IDLE_SECONDS = 120;

    private final ApplicationContext context;
    private final ApplicationConfiguration configuration;
    private final GraphQLEndpoint manager;
    private final String host;
    private final int configuredPort;
    private EventLoopGroup group;
    private Channel listener;
    private ChannelGroup connections;
    private final GraphQLHttpHandler.InFlight inFlight = new GraphQLHttpHandler.InFlight();
    /** The tags of GET answers, remembered across connections. */
    private final io.atrium.graphql.http.EntityTags entityTags =
            new io.atrium.graphql.http.EntityTags(io.atrium.graphql.http.EntityTags.DEFAULT_MEMO_BYTES);
    private volatile int port = -1;

    public RouterHttpServer(ApplicationContext context, ApplicationConfiguration configuration, GraphQLEndpoint manager,
                            @Value("${micronaut.server.host:0.0.0.0}") String host,
                            @Value("${micronaut.server.port:4000}") int port) {
        this.context = context;
        this.configuration = configuration;
        this.manager = manager;
        this.host = host;
        this.configuredPort = port;
    }

    @Override
    public synchronized EmbeddedServer start() {
        if (listener != null) {
            return this;
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("atrium-router-io"), io);
        connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ChannelGroup open = connections;
        int maxRequestBytes = manager.config().endpoint().limits().maxRequestBytes(); // 413 beyond
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(serverChannel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            open.add(channel);
                            channel.pipeline().addLast(
                                    new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                                    new HttpServerCodec(8192, MAX_HEADER_BYTES, 8192),
                                    new HttpServerKeepAliveHandler(),
                                    new BodyLimit(maxRequestBytes),
                                    new GraphQLHttpHandler(manager, inFlight, entityTags));
                        }
                    })
                    .bind(host, configuredPort < 0 ? 0 : configuredPort)
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            group = null;
            throw e;
        }
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        var facts = ProcessFacts.of(RouterHttpServer.class);
        LOG.atInfo().addKeyValue("port", port).addKeyValue("transport", epoll ? "epoll" : "nio")
                .addKeyValue("version", facts.version()).addKeyValue("java", facts.java())
                .addKeyValue("heap_max_mib", facts.heapMaxMiB()).addKeyValue("heap_source", facts.heapSource())
                .log("router listening");
        if (facts.heapWorthAWarning()) {
            LOG.warn(facts.heapWarning());
        }
        return this;
    }

    @Override
    public synchronized EmbeddedServer stop() {
        if (listener == null) {
            return this;
        }
        listener.close().syncUninterruptibly();
        listener = null;
        inFlight.awaitNone(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
        connections.close().awaitUninterruptibly(DRAIN_SECONDS, TimeUnit.SECONDS);
        group.shutdownGracefully(0, DRAIN_SECONDS, TimeUnit.SECONDS).syncUninterruptibly();
        group = null;
        if (context.isRunning()) {
            context.stop();
        }
        return this;
    }

    @Override
    public boolean isRunning() {
        return listener != null && listener.isActive();
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public String getHost() {
        return "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host;
    }

    @Override
    public String getScheme() {
        return "http";
    }

    @Override
    public URL getURL() {
        try {
            return getURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public URI getURI() {
        return URI.create(getScheme() + "://" + getHost() + ":" + getPort());
    }

    @Override
    public ApplicationContext getApplicationContext() {
        return context;
    }

    @Override
    public ApplicationConfiguration getApplicationConfiguration() {
        return configuration;
    }
}
