package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.ProxyStats;
import io.atrium.edge.proxy.RouteTable;
import io.atrium.edge.config.ClientTimeouts;
import io.atrium.edge.observe.AccessLog;
import io.atrium.edge.observe.EdgeMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.util.concurrent.atomic.LongAdder;

/** Everything the data path shares across I/O threads. Immutable except the counters and the draining flag. */
public final class DataPath {

    /** Longest accepted request line; longer gets 414. */
    static final int MAX_INITIAL_LINE = 8192;
    /** An {@code Upgrade: h2c} request is buffered whole; larger ones are refused by the upgrade handler. */
    static final int MAX_UPGRADE_REQUEST_BODY = 64 * 1024;
    static final int MAX_CONCURRENT_STREAMS = 256;

    private volatile Generation generation;
    private volatile EventLoopGroup group;
    private final ProxyStats stats;
    private final int ioThreads;
    private final Transport transport;
    private final int maxHeaderSize;
    private final AccessLog accessLog;
    private final ClientTimeouts timeouts;
    private final EdgeMetrics.RouteMeters noRouteMeters;
    private volatile int httpsRedirectPort;
    /** OpenTelemetry spans, or null when tracing is off. */
    private volatile io.atrium.edge.observe.EdgeTracing tracing;
    private final LongAdder activeExchanges = new LongAdder();
    private volatile boolean draining;
    /** Open HTTP/2 connections (a group forgets closed channels by itself). */
    private final ChannelGroup http2Connections = new DefaultChannelGroup("atrium-edge-h2", GlobalEventExecutor.INSTANCE);

    public DataPath(RouteTable routes, ProxyStats stats, int ioThreads, Transport transport, int maxHeaderSize, int httpsRedirectPort,
                    EdgeMetrics metrics, AccessLog accessLog, ClientTimeouts timeouts) {
        this.timeouts = timeouts;
        this.accessLog = accessLog;
        this.noRouteMeters = metrics.route(EdgeMetrics.NO_ROUTE, null);
        this.httpsRedirectPort = httpsRedirectPort;
        this.generation = new Generation(routes);
        this.maxHeaderSize = maxHeaderSize;
        this.stats = stats;
        this.ioThreads = ioThreads;
        this.transport = transport;
    }

    /**
     * Installs a new route table atomically: exchanges that start afterwards use it; exchanges in flight finish on the
     * table (and upstream connections) they started with, whose idle connections are then closed.
     */
    public void swap(RouteTable routes) {
        Generation old = generation;
        Generation next = new Generation(routes);
        generation = next;
        old.retire();
        EventLoopGroup loops = group;
        if (loops != null) {
            next.startHealthChecks(loops, transport);
        }
    }

    /** Binds the data path to its I/O threads: active health checks of this and later generations run on them. */
    public void start(EventLoopGroup group) {
        this.group = group;
        generation.startHealthChecks(group, transport);
    }

    /** The route table new exchanges use. */
    public RouteTable routes() {
        return generation.routes();
    }

    Generation generation() {
        return generation;
    }

    /**
     * The initializer of plain-HTTP client connections: HTTP/1.1, and HTTP/2 over cleartext (h2c) by prior knowledge or
     * {@code Upgrade: h2c}. Each HTTP/2 stream gets its own {@link ClientConnection} behind a frame-to-HTTP-object codec,
     * so HTTP/1.1 and HTTP/2 requests run through the same proxy logic.
     */
    public ChannelInitializer<SocketChannel> clientInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                HttpServerCodec codec = new HttpServerCodec(decoderConfig());
                HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                        AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                                ? new Http2ServerUpgradeCodec(http2Codec(ch), http2Idle(), new Http2MultiplexHandler(streamInitializer(false)), Http2ConnectionErrors.INSTANCE)
                                : null, MAX_UPGRADE_REQUEST_BODY) {
                    @Override
                    protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
                        // Upgrading means buffering the whole request; one with a body simply stays HTTP/1.1 (RFC 9110 allows
                        // ignoring Upgrade), so bodies keep streaming and keep their size limits.
                        return !HttpUtil.isTransferEncodingChunked(req) && HttpUtil.getContentLength(req, 0L) == 0L
                                && super.shouldHandleUpgradeRequest(req);
                    }
                };
                ChannelHandler priorKnowledge = new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(http2Codec(c), http2Idle(), new Http2MultiplexHandler(streamInitializer(false)), Http2ConnectionErrors.INSTANCE);
                    }
                };
                ch.pipeline().addLast(new ReadActivity(), new CleartextHttp2ServerUpgradeHandler(codec, upgrade, priorKnowledge),
                        new ClientConnection(DataPath.this, false));
            }
        };
    }

    /** The initializer of TLS client connections: ALPN picks HTTP/2 ({@code h2}) or HTTP/1.1. */
    public ChannelInitializer<SocketChannel> tlsInitializer(SslContext ssl) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                    @Override
                    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                            ctx.pipeline().addLast(http2Codec(ctx.channel()), http2Idle(), new Http2MultiplexHandler(streamInitializer(true)), Http2ConnectionErrors.INSTANCE);
                        } else {
                            ctx.pipeline().addLast(new ReadActivity(), new HttpServerCodec(decoderConfig()), new ClientConnection(DataPath.this, true));
                        }
                    }

                    @Override
                    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                        // Scanners and clients that distrust the certificate: routine, not worth a stack trace.
                        ctx.close();
                    }
                });
            }
        };
    }

    private ChannelInitializer<Http2StreamChannel> streamInitializer(boolean secure) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true, false), new ClientConnection(DataPath.this, secure));
            }
        };
    }

    private Http2IdleCloser http2Idle() {
        return new Http2IdleCloser(timeouts.idle().toNanos());
    }

    ClientTimeouts timeouts() {
        return timeouts;
    }

    /** The HTTP/2 codec of {@code connection}, which from now on gets a GOAWAY when draining starts. */
    private Http2FrameCodec http2Codec(Channel connection) {
        http2Connections.add(connection);
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(maxHeaderSize).maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
                .validateHeaders(true)
                .build();
    }

    /**
     * Strict HTTP/1.1 parsing: a Content-Length next to Transfer-Encoding and duplicate or conflicting Content-Length
     * values are refused (400) rather than normalised, so that no upstream ever sees a message whose framing two parsers
     * could read differently.
     */
    HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(maxHeaderSize)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
    }

    /** Sets the port used in HTTPS redirects (once the HTTPS listener is bound, when it was configured as port 0). */
    public void httpsRedirectPort(int port) {
        this.httpsRedirectPort = port;
    }

    int httpsRedirectPort() {
        return httpsRedirectPort;
    }

    /** The access log, or null when it is switched off. */
    /** Spans from now on ({@code null}: none). */
    public void tracing(io.atrium.edge.observe.EdgeTracing tracing) {
        this.tracing = tracing;
    }

    io.atrium.edge.observe.EdgeTracing tracing() {
        return tracing;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    EdgeMetrics.RouteMeters noRouteMeters() {
        return noRouteMeters;
    }

    /** Flushes and stops the access log writer (after the listeners are closed). */
    public void closeAccessLog() {
        if (accessLog != null) {
            accessLog.close();
        }
    }

    int maxHeaderSize() {
        return maxHeaderSize;
    }

    /** After this, every response asks the client to close its connection. */
    public void startDraining() {
        draining = true;
        // HTTP/2 has no Connection: close; GOAWAY tells clients to open no new streams while open ones finish.
        http2Connections.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    }

    /** Requests between their first byte and the end of their response. */
    public long activeExchanges() {
        return activeExchanges.sum();
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
