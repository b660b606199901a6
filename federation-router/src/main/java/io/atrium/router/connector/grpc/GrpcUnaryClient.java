package io.atrium.router.connector.grpc;

import io.atrium.graphql.transport.LoopHttpClient;
import io.atrium.router.config.GrpcTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.ThreadExecutorMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Unary gRPC calls from the router's own event loops: the call is started, written, answered and mapped on the loop
 * that asked for it (one HTTP/2 connection per loop and target), so a connector fetch costs no thread hand-over in
 * either direction — grpc-java's channel ran its transport on loops of its own, two hand-overs per call. Only what a
 * unary call needs (gRPC over HTTP/2, PROTOCOL-HTTP2.md): the request message uncompressed, {@code grpc-timeout} from
 * the attempt's deadline, the answer's message and its trailers ({@code grpc-status}, {@code grpc-message},
 * {@code grpc-status-details-bin}), trailers-only answers, HTTP statuses mapped as gRPC does, RST_STREAM and GOAWAY
 * (streams the server never processed fail {@code UNAVAILABLE}, which the resilience layer may retry). Plaintext
 * (h2c, prior knowledge) or TLS with ALPN {@code h2} ({@link GrpcTls}: trust anchors, client certificate, the server
 * name checked and sent as SNI and {@code :authority}).
 */
public final class GrpcUnaryClient implements AutoCloseable {
    /** gRPC status codes used here (the numbering of {@code google.rpc.Code}). */
    static final int OK = 0, CANCELLED = 1, UNKNOWN = 2, DEADLINE_EXCEEDED = 4, UNIMPLEMENTED = 12, INTERNAL = 13,
            UNAVAILABLE = 14, UNAUTHENTICATED = 16, PERMISSION_DENIED = 7;
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final AsciiString POST = AsciiString.cached("POST");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
    private static final AsciiString GRPC = AsciiString.cached("application/grpc");
    private static final AsciiString TE = AsciiString.cached("te");
    private static final AsciiString TRAILERS = AsciiString.cached("trailers");
    private static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
    private static final AsciiString USER_AGENT = AsciiString.cached("user-agent");
    private static final AsciiString AGENT = AsciiString.cached("atrium-router grpc-unary/1");

    /**
     * HPACK: only the headers every call repeats go into the connection's dynamic table. The rest (grpc-timeout,
     * the caller's metadata: request ids, trace context, credentials) differ per call: indexed, each would evict
     * an entry and be evicted unused, costing the encoder per call; and credentials are never to be indexed
     * (RFC 7541 §7.1.3).
     */
    static boolean neverIndexed(CharSequence name, CharSequence value) {
        return !(name.length() > 0 && name.charAt(0) == ':' || AsciiString.contentEquals(name, CONTENT_TYPE)
                || AsciiString.contentEquals(name, TE) || AsciiString.contentEquals(name, USER_AGENT));
    }

    /**
     * A call's outcome.
     *
     * @param status  the gRPC status code
     * @param message the status message (percent-decoded), or null
     * @param body    the answer's message when the status is OK, else null
     * @param details {@code grpc-status-details-bin} (a serialized {@code google.rpc.Status}), or null
     */
    public record Reply(int status, String message, byte[] body, byte[] details) {
        static Reply failed(int status, String message) {
            return new Reply(status, message, null, null);
        }
    }

    private final String host;
    private final int port;
    private final AsciiString authority;
    private final AsciiString scheme;
    private final SslContext ssl;
    private final String sslPeer;
    private final Map<EventExecutor, Connection> connections = new ConcurrentHashMap<>();
    private final LoopHttpClient.Lazy<EventLoopGroup> ownGroup = new LoopHttpClient.Lazy<>(() ->
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("atrium-grpc-client", true),
                    NioIoHandler.newFactory()));
    private volatile boolean closed;

    /**
     * @param target {@code host:port} (or {@code dns:///host:port}; an IPv6 host in brackets)
     * @param tls    null for plaintext HTTP/2
     * @throws IllegalArgumentException for a target of another form or TLS files that cannot be read
     */
    public GrpcUnaryClient(String target, GrpcTls tls) {
        String address = target.startsWith("dns:///") ? target.substring("dns:///".length()) : target;
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || address.contains("/") || (address.indexOf(':') != colon && !address.startsWith("["))) {
            throw new IllegalArgumentException("gRPC target '" + target + "' is not host:port");
        }
        try {
            this.port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gRPC target '" + target + "' has no port number");
        }
        String name = address.substring(0, colon);
        this.host = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        this.sslPeer = tls != null && tls.serverName() != null ? tls.serverName() : host;
        this.authority = new AsciiString(tls != null && tls.serverName() != null ? tls.serverName() : address);
        this.scheme = new AsciiString(tls == null ? "http" : "https");
        this.ssl = tls == null ? null : sslContext(target, tls);
    }

    private static SslContext sslContext(String target, GrpcTls tls) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2));
            if (tls.caFile() != null) {
                builder.trustManager(tls.caFile().toFile());
            }
            if (tls.certFile() != null) {
                builder.keyManager(tls.certFile().toFile(), tls.keyFile().toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS files for gRPC target " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * One unary call, answered on the calling thread's event loop (a loop of the client's own off a loop).
     *
     * @param path     {@code /package.Service/Method}
     * @param message  the serialized request message
     * @param metadata request headers (lower-case ASCII names)
     * @param timeoutNanos the call's deadline from now; it fails {@code DEADLINE_EXCEEDED} (and is cancelled) after it
     */
    public CompletionStage<Reply> call(String path, byte[] message, List<Map.Entry<String, String>> metadata,
                                       long timeoutNanos) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        if (closed) {
            result.complete(Reply.failed(UNAVAILABLE, "the client is closed"));
            return result;
        }
        EventLoop loop = currentLoop();
        Call call = new Call(path, message, metadata, timeoutNanos, result);
        if (loop.inEventLoop()) {
            start(loop, call);
        } else {
            loop.execute(() -> start(loop, call));
        }
        return result;
    }

    private EventLoop currentLoop() {
        EventExecutor current = ThreadExecutorMap.currentExecutor();
        if (current instanceof IoEventLoop loop && LoopHttpClient.socketChannelFor(loop) != null) {
            return loop;
        }
        return ownGroup.get().next();
    }

    private void start(EventLoop loop, Call call) {
        call.timer = loop.schedule(call::expire, Math.max(1, call.timeoutNanos), TimeUnit.NANOSECONDS);
        Connection connection = connections.get(loop);
        if (connection == null || connection.draining) {
            connection = new Connection(loop);
            connections.put(loop, connection);
        }
        connection.start(call);
    }

    @Override
    public void close() {
        closed = true;
        connections.values().forEach(c -> c.channel.close());
        connections.clear();
        EventLoopGroup group = ownGroup.ifCreated();
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** One call: its request, its answer as it arrives, and its deadline. */
    private static final class Call {
        final String path;
        final byte[] message;
        final List<Map.Entry<String, String>> metadata;
        final long timeoutNanos;
        final CompletableFuture<Reply> result;
        ScheduledFuture<?> timer;
        Connection connection;
        Http2FrameStream stream;
        CompositeByteBuf received;
        int httpStatus = -1;
        boolean grpcContentType;

        Call(String path, byte[] message, List<Map.Entry<String, String>> metadata, long timeoutNanos,
             CompletableFuture<Reply> result) {
            this.path = path;
            this.message = message;
            this.metadata = metadata;
            this.timeoutNanos = timeoutNanos;
            this.result = result;
        }

        /** Completes the call once; false when it was already complete. */
        boolean finish(Reply reply) {
            if (result.isDone()) {
                return false;
            }
            if (timer != null) {
                timer.cancel(false);
            }
            if (received != null) {
                received.release();
                received = null;
            }
            if (connection != null && stream != null) {
                connection.calls.remove(stream);
            }
            result.complete(reply);
            if (connection != null && stream != null) {
                connection.next(); // its stream's place goes to a call waiting for one
                connection.closeIfDrained();
            }
            return true;
        }

        void expire() {
            Http2FrameStream open = stream;
            Connection on = connection;
            if (finish(Reply.failed(DEADLINE_EXCEEDED, "deadline exceeded after "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"))) {
                if (on != null && open != null && open.id() > 0 && on.channel.isActive()) {
                    on.channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(open));
                }
            }
        }
    }

    /** One HTTP/2 connection on one loop: its calls by stream, started once it is connected. */
    private final class Connection extends Http2ChannelDuplexHandler {
        final EventLoop loop;
        final Channel channel;
        final Map<Http2FrameStream, Call> calls = new IdentityHashMap<>();
        /**
         * Calls not written yet: until the connection is ready, or while the server's limit of concurrent streams is
         * reached. Held here rather than in the HTTP/2 encoder's buffer, so that a call whose deadline passes while
         * it waits is never sent (the encoder would still send it once a stream frees up).
         */
        final java.util.ArrayDeque<Call> waiting = new java.util.ArrayDeque<>();
        private boolean pumping;
        /** The connection's HTTP/2 codec (its streams and the server's settings), set as the channel is set up. */
        private Http2FrameCodec codec;
        boolean ready;
        boolean draining;

        Connection(EventLoop loop) {
            this.loop = loop;
            ChannelFuture connecting = new Bootstrap().group(loop).channel(LoopHttpClient.socketChannelFor(loop))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (ssl != null) {
                                SSLEngine engine = ssl.newEngine(ch.alloc(), sslPeer, port);
                                SSLParameters parameters = engine.getSSLParameters();
                                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                                engine.setSSLParameters(parameters);
                                ch.pipeline().addLast(new SslHandler(engine));
                            }
                            codec = Http2FrameCodecBuilder.forClient().autoAckPingFrame(true)
                                    .encoderEnforceMaxConcurrentStreams(true)
                                    .headerSensitivityDetector(GrpcUnaryClient::neverIndexed).build();
                            ch.pipeline().addLast(codec, Connection.this);
                        }
                    })
                    .connect(host, port);
            this.channel = connecting.channel();
            connecting.addListener((ChannelFuture connected) -> {
                if (!connected.isSuccess()) {
                    lost("cannot connect to " + host + ":" + port + ": " + connected.cause().getMessage());
                    return;
                }
                SslHandler tls = channel.pipeline().get(SslHandler.class);
                if (tls == null) {
                    opened();
                } else {
                    tls.handshakeFuture().addListener(handshake -> {
                        if (!handshake.isSuccess()) {
                            lost("TLS handshake with " + host + ":" + port + " failed: " + handshake.cause().getMessage());
                        } else if (!ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
                            lost("the server at " + host + ":" + port + " did not agree to HTTP/2 (ALPN)");
                            channel.close();
                        } else {
                            opened();
                        }
                    });
                }
            });
        }

        private void opened() {
            ready = true;
            next();
        }

        void start(Call call) {
            call.connection = this;
            waiting.add(call);
            if (ready) {
                next();
            }
        }

        /** Writes waiting calls while the server takes more streams (calls already answered, e.g. expired, are dropped). */
        void next() {
            if (!ready || pumping || draining || !channel.isActive()) {
                return;
            }
            pumping = true;
            boolean wrote = false;
            try {
                int limit = codec.connection().local().maxActiveStreams();
                while (!waiting.isEmpty() && calls.size() < limit) {
                    Call call = waiting.poll();
                    if (!call.result.isDone()) {
                        write(call);
                        wrote = true;
                    }
                }
            } finally {
                pumping = false;
            }
            if (wrote) {
                channel.flush();
            }
        }

        private void write(Call call) {
            if (call.result.isDone()) {
                return;
            }
            Http2FrameStream stream = newStream();
            call.stream = stream;
            calls.put(stream, call);
            Http2Headers headers = new DefaultHttp2Headers(false, 8 + call.metadata.size())
                    .method(POST).scheme(scheme).path(call.path).authority(authority);
            headers.add(CONTENT_TYPE, GRPC);
            headers.add(TE, TRAILERS);
            headers.add(GRPC_TIMEOUT, timeout(call.timeoutNanos));
            headers.add(USER_AGENT, AGENT);
            for (Map.Entry<String, String> entry : call.metadata) {
                headers.add(entry.getKey(), entry.getValue());
            }
            channel.write(new DefaultHttp2HeadersFrame(headers, false).stream(stream));
            ByteBuf data = channel.alloc().buffer(5 + call.message.length);
            data.writeByte(0).writeInt(call.message.length).writeBytes(call.message);
            channel.write(new DefaultHttp2DataFrame(data, true).stream(stream)).addListener(written -> {
                if (!written.isSuccess()) {
                    // never sent whole: the server cannot have processed it
                    call.finish(Reply.failed(UNAVAILABLE, "sending the call failed: " + written.cause().getMessage()));
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame frame) {
                    Call call = calls.get(frame.stream());
                    if (call != null) {
                        headers(call, frame.headers(), frame.isEndStream());
                    }
                } else if (msg instanceof Http2DataFrame frame) {
                    int consumed = frame.initialFlowControlledBytes();
                    Call call = calls.get(frame.stream());
                    if (call != null) {
                        data(ctx, call, frame);
                    }
                    if (consumed > 0 && frame.stream() != null && frame.stream().state().remoteSideOpen()) {
                        ctx.write(new DefaultHttp2WindowUpdateFrame(consumed).stream(frame.stream()));
                    }
                } else if (msg instanceof Http2ResetFrame frame) {
                    Call call = calls.get(frame.stream());
                    if (call != null) {
                        long code = frame.errorCode();
                        call.finish(Reply.failed(code == Http2Error.REFUSED_STREAM.code() ? UNAVAILABLE
                                : code == Http2Error.CANCEL.code() ? CANCELLED : INTERNAL,
                                "the server reset the stream (" + Http2Error.valueOf(code) + ")"));
                    }
                } else if (msg instanceof Http2GoAwayFrame frame) {
                    draining = true;
                    connections.remove(loop, this);
                    int last = frame.lastStreamId();
                    for (Call call : List.copyOf(calls.values())) {
                        if (call.stream.id() > last) { // never processed: safe to try again elsewhere
                            call.finish(Reply.failed(UNAVAILABLE, "the server is going away (GOAWAY)"));
                        }
                    }
                    for (Call call : List.copyOf(waiting)) { // never sent
                        call.finish(Reply.failed(UNAVAILABLE, "the server is going away (GOAWAY)"));
                    }
                    waiting.clear();
                    closeIfDrained();
                }
            } finally {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        private void headers(Call call, Http2Headers headers, boolean end) {
            if (call.httpStatus < 0) {
                CharSequence status = headers.status();
                call.httpStatus = status == null ? 0 : parseStatus(status);
                CharSequence type = headers.get(CONTENT_TYPE);
                call.grpcContentType = type != null && AsciiString.regionMatches(type, true, 0, GRPC, 0, GRPC.length());
                if (!end) {
                    return;
                }
            }
            // trailers (or a trailers-only answer)
            if (call.httpStatus != 200 || !call.grpcContentType) {
                call.finish(Reply.failed(fromHttp(call.httpStatus), "HTTP status " + call.httpStatus
                        + (call.grpcContentType ? "" : " without a gRPC content type")));
                return;
            }
            CharSequence code = headers.get("grpc-status");
            int status;
            try {
                status = code == null ? UNKNOWN : Integer.parseInt(code.toString());
            } catch (NumberFormatException e) {
                status = UNKNOWN;
            }
            CharSequence text = headers.get("grpc-message");
            String message = text == null ? (code == null ? "the answer has no grpc-status" : null) : decode(text);
            CharSequence details = headers.get("grpc-status-details-bin");
            byte[] detailBytes = null;
            if (details != null) {
                try {
                    detailBytes = Base64.getDecoder().decode(pad(details.toString()));
                } catch (IllegalArgumentException e) {
                    detailBytes = null;
                }
            }
            if (status != OK) {
                call.finish(new Reply(status, message, null, detailBytes));
                return;
            }
            byte[] body = message(call);
            if (body == null) {
                call.finish(Reply.failed(INTERNAL, "the answer's message is missing or malformed"));
            } else {
                call.finish(new Reply(OK, message, body, null));
            }
        }

        private void data(ChannelHandlerContext ctx, Call call, Http2DataFrame frame) {
            if (call.received == null) {
                call.received = ctx.alloc().compositeBuffer();
            }
            if (call.received.readableBytes() + frame.content().readableBytes() > MAX_MESSAGE_BYTES + 5) {
                call.finish(Reply.failed(INTERNAL, "the answer is larger than " + MAX_MESSAGE_BYTES + " bytes"));
                ctx.write(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(frame.stream()));
                return;
            }
            call.received.addComponent(true, frame.content().retain());
            if (frame.isEndStream()) { // no trailers: not a valid gRPC answer
                call.finish(Reply.failed(INTERNAL, "the answer ended without trailers"));
            }
        }

        /** The one length-prefixed, uncompressed message of a unary answer; null when absent or malformed. */
        private byte[] message(Call call) {
            ByteBuf in = call.received;
            if (in == null || in.readableBytes() < 5 || in.getByte(in.readerIndex()) != 0) {
                return null;
            }
            long length = in.getUnsignedInt(in.readerIndex() + 1);
            if (length != in.readableBytes() - 5) {
                return null;
            }
            return ByteBufUtil.getBytes(in, in.readerIndex() + 5, (int) length);
        }

        /** After a GOAWAY, the connection is closed once its last call is answered (new calls use a new one). */
        void closeIfDrained() {
            if (draining && calls.isEmpty() && waiting.isEmpty() && channel.isActive()) {
                channel.close();
            }
        }

        private void lost(String why) {
            draining = true;
            connections.remove(loop, this);
            for (Call call : List.copyOf(waiting)) {
                call.finish(Reply.failed(UNAVAILABLE, why));
            }
            waiting.clear();
            for (Call call : List.copyOf(calls.values())) {
                call.finish(Reply.failed(UNAVAILABLE, why));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            lost("the connection to " + host + ":" + port + " closed");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            lost("the connection to " + host + ":" + port + " failed: " + cause.getMessage());
            ctx.close();
        }
    }

    private static int parseStatus(CharSequence status) {
        try {
            return Integer.parseInt(status.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The gRPC status of an answer that is not gRPC's (gRPC's HTTP-to-status mapping, doc/http-grpc-status-mapping). */
    static int fromHttp(int http) {
        return switch (http) {
            case 400 -> INTERNAL;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404 -> UNIMPLEMENTED;
            case 429, 502, 503, 504 -> UNAVAILABLE;
            default -> UNKNOWN;
        };
    }

    /** {@code grpc-timeout}: at most 8 digits and a unit. */
    static String timeout(long nanos) {
        long value = Math.max(1, nanos);
        String[] units = {"n", "u", "m", "S"};
        long[] divisors = {1, 1_000, 1_000_000, 1_000_000_000};
        for (int i = 0; i < units.length; i++) {
            long scaled = (value + divisors[i] - 1) / divisors[i];
            if (scaled < 100_000_000L) {
                return scaled + units[i];
            }
        }
        return Math.min(99_999_999L, value / 3_600_000_000_000L + 1) + "H";
    }

    /** {@code grpc-message} is percent-encoded UTF-8. */
    static String decode(CharSequence text) {
        String value = text.toString();
        if (value.indexOf('%') < 0) {
            return value;
        }
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static String pad(String base64) {
        int rest = base64.length() % 4;
        return rest == 0 ? base64 : base64 + "=".repeat(4 - rest);
    }
}
