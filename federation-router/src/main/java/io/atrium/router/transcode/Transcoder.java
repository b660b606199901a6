package io.atrium.router.transcode;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.DuplexChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMessage;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST → gRPC transcoding on a listener of its own (the router deployable's second port, 4020 by default): the
 * routes of every backend in one {@link RouteTable}, swapped atomically when a backend's descriptors or service
 * config change. Start-up fails on a backend whose descriptor set or rules do not load, and on ambiguous routes; a
 * reload that fails keeps the current routes. A backend read by reflection that is not up yet is retried on each
 * reload tick (its routes answer 404 until then).
 *
 * <p>The listener runs on grpc-netty's own (shaded) Netty, on the same event loops as the gRPC channels: each loop
 * has a channel per backend, so a request's call is started, answered and written back on the loop of its HTTP
 * connection — no thread hand-off per request, and no second set of event loops competing for the cores.
 */
public final class Transcoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transcoder.class);
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final TranscodingConfig config;
    private final Map<String, GrpcBackend> backends = new LinkedHashMap<>();
    private final Map<String, GrpcBackend.Loaded> loaded = new LinkedHashMap<>();
    private final Map<String, String> stamps = new LinkedHashMap<>();
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final ScheduledExecutorService reloader;
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup group;
    private Channel listener;

    /** A backend as the request path sees it. */
    record Backend(String name, GrpcBackend grpc, ProtoJson json, TranscodingConfig.Backend config) {
        /** The backend's channel on the caller's event loop. */
        ManagedChannel channel(EventExecutor loop) {
            return grpc.channel(loop);
        }
    }

    /**
     * Everything one request needs, swapped as a whole.
     *
     * @param openApi the OpenAPI document, generated on first use
     */
    record Snapshot(RouteTable table, Map<String, Backend> backends, JsonFormat.TypeRegistry types,
                    AtomicReference<String> openApi, String version) {
        String openApi(String prefix) {
            String doc = openApi.get();
            if (doc == null) {
                doc = OpenApiGenerator.generate(table.routes(), prefix, version);
                openApi.set(doc);
            }
            return doc;
        }
    }

    private Transcoder(TranscodingConfig config) {
        this.config = config;
        this.reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "transcoding-reload");
            thread.setDaemon(true);
            return thread;
        });
        DefaultThreadFactory threads = new DefaultThreadFactory("atrium-transcode-io");
        int size = Runtime.getRuntime().availableProcessors();
        this.group = epoll ? new EpollEventLoopGroup(size, threads) : new NioEventLoopGroup(size, threads);
    }

    /** @throws RuntimeException when a backend or the route table does not load, or the port cannot be bound */
    public static Transcoder start(TranscodingConfig config) {
        Transcoder transcoder = new Transcoder(config);
        try {
            transcoder.loadAll();
            transcoder.listen();
        } catch (RuntimeException e) {
            transcoder.close();
            throw e;
        }
        return transcoder;
    }

    TranscodingConfig config() {
        return config;
    }

    Snapshot snapshot() {
        return snapshot.get();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Every route, as {@code METHOD template -> selector}. */
    public List<String> routes() {
        return snapshot.get().table().routes().stream().map(Route::describe).toList();
    }

    private void loadAll() {
        for (var entry : config.backends().entrySet()) {
            GrpcBackend backend = new GrpcBackend(entry.getKey(), entry.getValue(), group,
                    epoll ? EpollSocketChannel.class : NioSocketChannel.class);
            backends.put(entry.getKey(), backend);
            stamps.put(entry.getKey(), backend.fileStamp());
            try {
                loaded.put(entry.getKey(), backend.load());
            } catch (IllegalStateException e) {
                if (!backend.usesReflection()) {
                    throw e;
                }
                LOG.warn("{}; retrying every {} ms", e.getMessage(), entry.getValue().reloadInterval().toMillis());
            }
        }
        publish();
        for (GrpcBackend backend : backends.values()) {
            long every = backend.config().reloadInterval().toMillis();
            reloader.scheduleWithFixedDelay(() -> reload(backend), every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Re-reads one backend when its files changed (or always, for reflection) and swaps in changed routes. */
    synchronized void reload(GrpcBackend backend) {
        String stamp = backend.fileStamp();
        GrpcBackend.Loaded current = loaded.get(backend.name());
        if (!backend.usesReflection() && stamp.equals(stamps.get(backend.name())) && current != null) {
            return;
        }
        stamps.put(backend.name(), stamp);
        GrpcBackend.Loaded next;
        try {
            next = backend.load();
        } catch (RuntimeException e) {
            LOG.error("transcoding backend '{}' changed but did not load, keeping its current routes: {}",
                    backend.name(), e.getMessage());
            return;
        }
        if (current != null && current.fingerprint().equals(next.fingerprint())) {
            return;
        }
        loaded.put(backend.name(), next);
        try {
            publish();
            LOG.info("transcoding backend '{}' reloaded: {} routes", backend.name(), next.routes().size());
        } catch (RuntimeException e) {
            if (current == null) {
                loaded.remove(backend.name());
            } else {
                loaded.put(backend.name(), current);
            }
            LOG.error("transcoding backend '{}' reload refused, keeping the current routes: {}", backend.name(),
                    e.getMessage());
        }
    }

    private void publish() {
        List<Route> routes = new ArrayList<>();
        Map<String, Backend> views = new LinkedHashMap<>();
        JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder()
                .add(com.google.rpc.BadRequest.getDescriptor())
                .add(com.google.rpc.ErrorInfo.getDescriptor())
                .add(com.google.rpc.RetryInfo.getDescriptor());
        StringBuilder version = new StringBuilder();
        for (var entry : loaded.entrySet()) {
            GrpcBackend backend = backends.get(entry.getKey());
            GrpcBackend.Loaded state = entry.getValue();
            routes.addAll(state.routes());
            views.put(entry.getKey(), new Backend(entry.getKey(), backend, state.json(), backend.config()));
            for (var service : state.schema().services().values()) {
                types.add(service.getFile().getMessageTypes());
            }
            version.append(state.fingerprint(), 0, 12);
        }
        RouteTable table = RouteTable.of(routes);
        snapshot.set(new Snapshot(table, Map.copyOf(views), types.build(), new AtomicReference<>(),
                version.isEmpty() ? "0" : version.toString()));
    }

    private void listen() {
        Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Transcoder self = this;
        listener = new ServerBootstrap()
                .group(group)
                .channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new HttpServerCodec(8192, MAX_HEADER_BYTES, 8192),
                                new HttpServerKeepAliveHandler(),
                                new BodyLimit(config.maxRequestBytes(), self),
                                new TranscodingHandler(self));
                    }
                })
                .bind(config.host(), config.port())
                .syncUninterruptibly()
                .channel();
        LOG.atInfo().addKeyValue("port", port()).addKeyValue("routes", snapshot.get().table().routes().size())
                .log("REST to gRPC transcoding listening");
    }

    /** Bodies above the limit: 413 with a {@code google.rpc.Status} body, and the connection closed. */
    private static final class BodyLimit extends HttpObjectAggregator {
        private static final long LINGER_MILLIS = 2_000;
        private final Transcoder transcoder;

        BodyLimit(int maxBytes, Transcoder transcoder) {
            super(maxBytes);
            this.transcoder = transcoder;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            FullHttpResponse response = TranscodingHandler.response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "application/json", GrpcErrors.json(GrpcErrors.problem(413, Code.RESOURCE_EXHAUSTED,
                            "the request body is larger than " + transcoder.config.maxRequestBytes() + " bytes")
                            .status(), transcoder.snapshot().types()));
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            // written past the keep-alive handler, which would close at once after a Connection: close answer
            ChannelHandlerContext keepAlive = ctx.pipeline().context(HttpServerKeepAliveHandler.class);
            (keepAlive != null ? keepAlive : ctx).writeAndFlush(response)
                    .addListener(written -> lingeringClose(ctx.channel(), written.isSuccess()));
        }

        /**
         * Closes as graphql-kit's {@code LingeringClose} does on the router's GraphQL port (this server runs on gRPC's
         * shaded Netty, so that handler cannot be used here): the write side is shut and the aggregator, now
         * discarding, reads the rest of the body until the client closes or {@value #LINGER_MILLIS} ms passed.
         * Closing with unread bytes would reset the connection and the client could lose the answer.
         */
        private static void lingeringClose(Channel channel, boolean written) {
            if (!written || !(channel instanceof DuplexChannel duplex)) {
                channel.close();
                return;
            }
            channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            duplex.shutdownOutput();
        }
    }

    @Override
    public void close() {
        reloader.shutdownNow();
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        // the channels first: their transports run on the group
        backends.values().forEach(GrpcBackend::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
