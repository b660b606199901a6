package io.atrium.edge.proxy;

import io.atrium.edge.config.EdgeConfig;
import io.atrium.edge.config.RouteConfig;
import io.atrium.edge.config.TlsListenerConfig;
import io.atrium.edge.observe.AccessLog;
import io.atrium.edge.observe.EdgeMetrics;
import io.atrium.edge.tls.ServerTls;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.atrium.policy.PolicyChain;
import io.atrium.edge.proxy.internal.DataPath;
import io.atrium.edge.proxy.internal.Transport;
import io.atrium.policy.resilience.ClusterEndpoint;
import io.atrium.policy.resilience.HealthState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The data-path listener: our own Netty pipeline ({@code HttpServerCodec} plus the streaming proxy handler), independent
 * of Micronaut's HTTP server. Client and upstream connections share one group of I/O threads; an upstream connection
 * always lives on the thread of the client connection it serves.
 */
public final class EdgeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);

    /** How long {@link #close()} waits for requests in flight before cutting connections. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final EdgeMetrics metrics;
    private final ProxyStats stats;
    private final DataPath dataPath;
    private final EventLoopGroup group;
    private final Channel listener;
    private final Channel tlsListener;
    private final int port;
    private final int tlsPort;
    private final String transport;
    private volatile boolean closed;

    private EdgeServer(ProxyStats stats, DataPath dataPath, EventLoopGroup group, Channel listener, Channel tlsListener,
                       String transport, EdgeMetrics metrics) {
        this.metrics = metrics;
        this.transport = transport;
        this.tlsListener = tlsListener;
        this.tlsPort = tlsListener == null ? -1 : ((InetSocketAddress) tlsListener.localAddress()).getPort();
        this.stats = stats;
        this.dataPath = dataPath;
        this.group = group;
        this.listener = listener;
        this.port = ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Binds the listener of {@code config} with one I/O thread per available processor; blocks until bound.
     * {@code policies} builds each route's policy chain once.
     */
    public static EdgeServer start(EdgeConfig config, Function<RouteConfig, PolicyChain> policies, EdgeMetrics metrics) {
        return start(config, policies, metrics, Runtime.getRuntime().availableProcessors(), "auto");
    }

    /** Why {@code transportChoice} cannot be used here, or null when it can. */
    public static String transportProblem(String transportChoice) {
        try {
            Transport.select(transportChoice);
            return null;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** @param transportChoice {@code auto}, {@code io_uring}, {@code epoll} or {@code nio} ({@link Transport#select}) */
    public static EdgeServer start(EdgeConfig config, Function<RouteConfig, PolicyChain> policies, EdgeMetrics metrics, int ioThreads,
                                   String transportChoice) {
        Transport transport = Transport.select(transportChoice);
        RouteTable routes = RouteTable.compile(config, policies, metrics);
        ProxyStats stats = new ProxyStats();
        SslContext ssl = config.https().map(ServerTls::context).orElse(null);
        int redirectPort = config.https().map(h -> h.redirectPort().orElse(h.port())).orElse(-1);
        AccessLog accessLog = config.accessLog() ? new AccessLog(metrics) : null;
        EventLoopGroup group;
        try {
            group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("atrium-edge-io"), transport.ioHandlerFactory());
        } catch (RuntimeException | LinkageError e) {
            // io_uring passed Netty's probe but its rings could not all be set up (e.g. a low memlock limit on older
            // kernels): when the choice was automatic, run epoll (or NIO) rather than not at all.
            if (!transport.automatic() || !"io_uring".equals(transport.name())) {
                throw e;
            }
            LOG.warn("event=transport_fallback from=io_uring reason=\"{}\"", e.toString());
            transport = Transport.fallbackFromIoUring();
            group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("atrium-edge-io"), transport.ioHandlerFactory());
        }
        DataPath dataPath = new DataPath(routes, stats, ioThreads, transport, config.maxHeaderSize(), redirectPort, metrics, accessLog,
                config.timeouts());
        registerGauges(metrics, dataPath, stats, routes);
        dataPath.start(group);
        Channel listener = null;
        try {
            listener = bind(group, transport, dataPath.clientInitializer(), config.http().host(), config.http().port());
            Channel tlsListener = null;
            if (ssl != null) {
                TlsListenerConfig https = config.https().orElseThrow();
                tlsListener = bind(group, transport, dataPath.tlsInitializer(ssl), https.host(), https.port());
                if (redirectPort == 0) {
                    dataPath.httpsRedirectPort(((InetSocketAddress) tlsListener.localAddress()).getPort());
                }
            }
            return new EdgeServer(stats, dataPath, group, listener, tlsListener, transport.name(), metrics);
        } catch (RuntimeException e) {
            if (listener != null) {
                listener.close();
            }
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (accessLog != null) {
                accessLog.close();
            }
            throw e;
        }
    }

    /** OpenTelemetry spans for the exchanges that start from now on (null: none). */
    public void tracing(io.atrium.edge.observe.EdgeTracing tracing) {
        dataPath.tracing(tracing);
    }

    private static Channel bind(EventLoopGroup group, Transport transport, ChannelHandler initializer, String host, int port) {
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(host, port)
                .syncUninterruptibly()
                .channel();
    }

    private static void registerGauges(EdgeMetrics metrics, DataPath dataPath, ProxyStats stats, RouteTable routes) {
        MeterRegistry registry = metrics.registry();
        Gauge.builder("atrium.edge.exchanges.active", dataPath, DataPath::activeExchanges)
                .description("Requests between their first byte and the end of their response").strongReference(false).register(registry);
        FunctionCounter.builder("atrium.edge.upstream.connections.opened", stats, ProxyStats::upstreamConnectionsOpened)
                .description("Upstream TCP connections opened").register(registry);
        FunctionCounter.builder("atrium.edge.mirror.dropped", stats, ProxyStats::mirrorsDropped)
                .description("Mirrored request copies dropped because too many were in flight").register(registry);
        registerClusterGauges(metrics, dataPath, routes);
    }

    /** One gauge per cluster name, reading the current route table (so it follows reloads; 0 once a cluster is gone). */
    private static void registerClusterGauges(EdgeMetrics metrics, DataPath dataPath, RouteTable routes) {
        MeterRegistry registry = metrics.registry();
        for (Cluster cluster : routes.clusters()) {
            String name = cluster.name();
            if (metrics.firstRegistration("cluster.endpoints:" + name)) {
                Gauge.builder("atrium.edge.cluster.endpoints", dataPath, dp -> endpointCount(dp.routes(), name))
                        .description("Endpoints configured per cluster").tag("cluster", name).strongReference(false).register(registry);
                Gauge.builder("atrium.edge.cluster.circuit_state", dataPath, dp -> circuitState(dp.routes(), name))
                        .description("Circuit breaker state: 0 closed (or no breaker), 1 half-open, 2 open").tag("cluster", name)
                        .strongReference(false).register(registry);
            }
            for (ClusterEndpoint endpoint : cluster.resilience().endpoints()) {
                String id = endpoint.id();
                if (metrics.firstRegistration("cluster.endpoint:" + name + "\u0000" + id)) {
                    Gauge.builder("atrium.edge.endpoint.healthy", dataPath, dp -> endpointState(dp.routes(), name, id, false))
                            .description("1 while the endpoint passes its active health checks (always 1 without health_check)")
                            .tag("cluster", name).tag("endpoint", id).strongReference(false).register(registry);
                    Gauge.builder("atrium.edge.endpoint.ejected", dataPath, dp -> endpointState(dp.routes(), name, id, true))
                            .description("1 while outlier detection keeps the endpoint out of load balancing")
                            .tag("cluster", name).tag("endpoint", id).strongReference(false).register(registry);
                }
            }
        }
    }

    private static int circuitState(RouteTable routes, String cluster) {
        for (Cluster c : routes.clusters()) {
            if (c.name().equals(cluster)) {
                return c.resilience().circuitBreaker().map(b -> switch (b.state()) {
                    case CLOSED -> 0;
                    case HALF_OPEN -> 1;
                    case OPEN -> 2;
                }).orElse(0);
            }
        }
        return 0;
    }

    /** The endpoint's health (1 healthy) or ejection (1 ejected); NaN once the endpoint is no longer configured. */
    private static double endpointState(RouteTable routes, String cluster, String endpoint, boolean ejection) {
        for (Cluster c : routes.clusters()) {
            if (c.name().equals(cluster)) {
                for (ClusterEndpoint e : c.resilience().endpoints()) {
                    if (e.id().equals(endpoint)) {
                        return ejection ? (e.ejected() ? 1 : 0) : (e.health() == HealthState.HEALTHY ? 1 : 0);
                    }
                }
            }
        }
        return Double.NaN;
    }

    private static int endpointCount(RouteTable routes, String cluster) {
        for (Cluster c : routes.clusters()) {
            if (c.name().equals(cluster)) {
                return c.endpoints().size();
            }
        }
        return 0;
    }

    /** The bound HTTPS port, or -1 without an HTTPS listener. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The bound data port (the actual one when the config asked for port 0). */
    public int port() {
        return port;
    }

    /** The TLS engine of the HTTPS listener: {@code openssl} or {@code jdk}; {@code none} without that listener. */
    public String tlsProvider() {
        return tlsListener == null ? "none" : ServerTls.provider();
    }

    /** The I/O transport in use: {@code io_uring}, {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    /** The route table new requests use (replaced by {@link #swap}). */
    public RouteTable routes() {
        return dataPath.routes();
    }

    /**
     * Installs a new route table built from {@code config} (only routes, clusters and route policies change; listeners
     * and limits need a restart). Exchanges in flight finish on the old table.
     */
    public void swap(RouteTable next) {
        dataPath.swap(next);
        registerClusterGauges(metrics, dataPath, next);
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
        if (tlsListener != null) {
            tlsListener.close().syncUninterruptibly();
        }
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
        dataPath.closeAccessLog();
    }
}
