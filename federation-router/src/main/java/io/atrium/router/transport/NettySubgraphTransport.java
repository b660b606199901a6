package io.atrium.router.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.ThreadExecutorMap;
import io.atrium.policy.resilience.AttemptOutcome;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * GraphQL over HTTP/1.1 to subgraphs on Netty, on the event loop that is already handling the client's request.
 *
 * <p>A fetch started on an event loop (the router's HTTP server runs its requests on Netty event loops) uses that
 * loop's own keep-alive connections to the subgraph, and its response is parsed and handed on (merged, the next
 * fetches started, and after the last one the client's answer written) on the same thread: no hand-off between a
 * server thread, a client selector and a worker pool per subgraph answer, and no locking in the connection pool,
 * which is per loop. Fetches started elsewhere (tests, tools) run on a small event loop group of the transport's
 * own. Requests marked {@link SubgraphRequest#h2c()} (the JDK client offers the HTTP/1.1 {@code Upgrade: h2c}
 * handshake) and {@code https} subgraphs go to the JDK client ({@link HttpSubgraphTransport}).
 *
 * <p>A pooled connection is only ever used for one exchange at a time (no pipelining). A request is sent at most
 * once: when a pooled connection turns out to be closed before the request was written, a new connection is
 * opened; once written, a failure fails the fetch.
 */
public final class NettySubgraphTransport implements SubgraphTransport, AutoCloseable {
    /** Largest subgraph response accepted (bytes). */
    static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    /** Idle keep-alive connections kept per subgraph origin and event loop. */
    private static final int MAX_IDLE_PER_ORIGIN = 256;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Map<EventExecutor, LoopPool> pools = new ConcurrentHashMap<>();
    /** For h2c and https subgraphs; created on first use (its clients start selector threads). */
    private final Lazy<HttpSubgraphTransport> jdk = new Lazy<>(() -> new HttpSubgraphTransport(1));
    /** Loops for fetches started off any compatible event loop (tests, tools); created on first use. */
    private final Lazy<EventLoopGroup> ownGroup = new Lazy<>(() -> new MultiThreadIoEventLoopGroup(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
            new DefaultThreadFactory("atrium-subgraph-client", true), NioIoHandler.newFactory()));

    @Override
    public CompletionStage<SubgraphResponse> fetch(SubgraphRequest request) {
        if (request.h2c() || !"http".equalsIgnoreCase(request.url().getScheme())) {
            return jdk.get().fetch(request);
        }
        FullHttpRequest http;
        try {
            http = encode(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new SubgraphFetchException(
                    "HTTP fetch failed from '" + request.subgraphName() + "': " + e.getMessage(), e));
        }
        return submit(request.subgraphName(), request.url(), request.timeout(), http, response -> SubgraphResponses.parse(
                request.subgraphName(), response.status().code(), bytes(response.content()),
                response.headers().contains(HttpHeaderNames.CACHE_CONTROL)
                        ? SubgraphResponses.cacheControl(response.headers().getAll(HttpHeaderNames.CACHE_CONTROL))
                        : null));
    }

    /**
     * One plain HTTP/1.1 request to an {@code http} URL (a REST connector's backend call), on the calling event loop's
     * keep-alive connections as subgraph fetches are: sent at most once, failed with a {@link SubgraphFetchException}
     * carrying its {@code AttemptOutcome}.
     *
     * @param name    what the messages call the backend
     * @param headers request headers (Host and Content-Length are set here)
     * @param body    null for none
     */
    public CompletionStage<HttpReply> exchange(String name, String method, URI url, Map<String, String> headers,
                                               byte[] body, java.time.Duration timeout) {
        FullHttpRequest http;
        try {
            ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
            http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target(url), content);
            HttpHeaders out = http.headers();
            headers.forEach(out::set);
            out.set(HttpHeaderNames.HOST, authority(url));
            if (body != null || !method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE")) {
                out.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new SubgraphFetchException(
                    "HTTP call failed to '" + name + "': " + e.getMessage(), e));
        }
        return submit(name, url, timeout, http, response -> {
            Map<String, java.util.List<String>> replyHeaders = new HashMap<>();
            for (Map.Entry<String, String> header : response.headers()) {
                replyHeaders.computeIfAbsent(header.getKey().toLowerCase(java.util.Locale.ROOT),
                        k -> new java.util.ArrayList<>(1)).add(header.getValue());
            }
            return new HttpReply(response.status().code(), replyHeaders, bytes(response.content()));
        });
    }

    /** A backend's answer: status, headers (lower-case names), body bytes (empty when none). */
    public record HttpReply(int status, Map<String, java.util.List<String>> headers, byte[] body) {
    }

    private <T> CompletionStage<T> submit(String name, URI url, java.time.Duration timeout, FullHttpRequest http,
                                          Decoder<T> decoder) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Exchange<T> exchange = new Exchange<>(name, url, timeout, http, decoder, result);
        EventLoop loop = currentLoop();
        if (loop.inEventLoop()) {
            start(loop, exchange);
        } else {
            loop.execute(() -> start(loop, exchange));
        }
        return result;
    }

    /** Reads a whole response into what the caller gets; a {@link SubgraphFetchException} fails the exchange. */
    @FunctionalInterface
    private interface Decoder<T> {
        T decode(FullHttpResponse response);
    }

    private static byte[] bytes(ByteBuf content) {
        return content.hasArray() && content.arrayOffset() == 0 && content.readerIndex() == 0
                && content.array().length == content.readableBytes() ? content.array() : ByteBufUtil.getBytes(content);
    }

    private static String target(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    private static String authority(URI url) {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    /** The calling thread's event loop when a socket channel can live on it, else a loop of the transport's own. */
    private EventLoop currentLoop() {
        EventExecutor current = ThreadExecutorMap.currentExecutor();
        if (current instanceof IoEventLoop loop && socketChannel(loop) != null) {
            return loop;
        }
        return ownGroup.get().next();
    }

    /** The socket channel class for an event loop: epoll's on epoll loops, NIO's on NIO loops, else null. */
    private static Class<? extends Channel> socketChannel(EventLoop loop) {
        if (!(loop instanceof IoEventLoop io)) {
            return null;
        }
        if (io.isCompatible(NioIoHandle.class)) {
            return NioSocketChannel.class;
        }
        if (io.isCompatible(EpollIoHandle.class)) {
            return EpollSocketChannel.class;
        }
        return null;
    }

    /** A value created on first use, at most once (thread-safe); {@link #ifCreated} never creates it. */
    private static final class Lazy<T> {
        private final java.util.function.Supplier<T> create;
        private volatile T value;

        Lazy(java.util.function.Supplier<T> create) {
            this.create = create;
        }

        T get() {
            T current = value;
            if (current == null) {
                synchronized (this) {
                    current = value;
                    if (current == null) {
                        current = create.get();
                        value = current;
                    }
                }
            }
            return current;
        }

        T ifCreated() {
            return value;
        }
    }

    private static FullHttpRequest encode(SubgraphRequest request) {
        ByteBuf content = Unpooled.wrappedBuffer(request.body());
        URI url = request.url();
        FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target(url), content);
        HttpHeaders headers = http.headers();
        headers.set(HttpHeaderNames.HOST, authority(url));
        headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        headers.set(HttpHeaderNames.ACCEPT, "application/graphql-response+json, application/json");
        headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        request.headers().forEach(headers::set);
        return http;
    }

    private void start(EventLoop loop, Exchange<?> exchange) {
        exchange.timer = loop.schedule(() -> exchange.fail(new SubgraphFetchException(exchange.what()
                + ": timed out after " + exchange.timeout.toMillis() + " ms", null,
                AttemptOutcome.Failure.PER_TRY_TIMEOUT)),
                exchange.timeout.toMillis(), TimeUnit.MILLISECONDS);
        LoopPool pool = pools.computeIfAbsent(loop, l -> new LoopPool());
        Origin origin = Origin.of(exchange.url);
        Channel idle = pool.poll(origin);
        if (idle != null) {
            send(idle, exchange, pool, origin);
        } else {
            connect(loop, exchange, pool, origin);
        }
    }

    private void connect(EventLoop loop, Exchange<?> exchange, LoopPool pool, Origin origin) {
        new Bootstrap().group(loop).channel(socketChannel(loop))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(),
                                new HttpObjectAggregator(MAX_RESPONSE_BYTES), new ResponseHandler(pool, origin));
                    }
                })
                .connect(origin.host(), origin.port())
                .addListener((ChannelFuture connected) -> {
                    if (connected.isSuccess()) {
                        send(connected.channel(), exchange, pool, origin);
                    } else {
                        exchange.fail(failure(exchange, connected.cause(), AttemptOutcome.Failure.CONNECT_FAILED));
                    }
                });
    }

    private void send(Channel channel, Exchange<?> exchange, LoopPool pool, Origin origin) {
        if (exchange.done) {
            pool.offer(origin, channel); // timed out while connecting
            return;
        }
        ResponseHandler handler = channel.pipeline().get(ResponseHandler.class);
        handler.current = exchange;
        exchange.channel = channel;
        channel.writeAndFlush(exchange.http.retainedDuplicate()).addListener((ChannelFuture written) -> {
            if (written.isSuccess()) {
                return;
            }
            handler.current = null;
            channel.close();
            if (!exchange.done) {
                // Never written: the request did not reach the subgraph, so it may go on a new connection.
                connect(channel.eventLoop(), exchange, pool, origin);
            }
        });
    }

    private static SubgraphFetchException failure(Exchange<?> exchange, Throwable cause, AttemptOutcome outcome) {
        String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new SubgraphFetchException(exchange.what() + ": " + what, cause, outcome);
    }

    /** One request in flight: completes its future exactly once, on the event loop. */
    private static final class Exchange<T> {
        final String name;
        final URI url;
        final java.time.Duration timeout;
        final FullHttpRequest http;
        final Decoder<T> decoder;
        final CompletableFuture<T> result;
        ScheduledFuture<?> timer;
        Channel channel;
        boolean done;

        Exchange(String name, URI url, java.time.Duration timeout, FullHttpRequest http, Decoder<T> decoder,
                 CompletableFuture<T> result) {
            this.name = name;
            this.url = url;
            this.timeout = timeout;
            this.http = http;
            this.decoder = decoder;
            this.result = result;
        }

        /** The start of a failure's message: the subgraph's (or backend's) name. */
        String what() {
            return "HTTP fetch failed from '" + name + "'";
        }

        void fail(SubgraphFetchException failure) {
            if (done) {
                return;
            }
            finish();
            if (channel != null) {
                channel.close(); // an answer may still come: the connection cannot be reused
            }
            result.completeExceptionally(failure);
        }

        void succeed(FullHttpResponse response) {
            if (done) {
                return;
            }
            T decoded;
            try {
                decoded = decoder.decode(response);
            } catch (SubgraphFetchException e) {
                fail(e);
                return;
            }
            finish();
            result.complete(decoded);
        }

        private void finish() {
            done = true;
            timer.cancel(false);
            http.release(); // each send wrote a retained duplicate
        }
    }

    /** Per connection: hands the response to the exchange in flight, then returns the connection to its pool. */
    private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final LoopPool pool;
        private final Origin origin;
        Exchange<?> current;

        ResponseHandler(LoopPool pool, Origin origin) {
            this.pool = pool;
            this.origin = origin;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange<?> exchange = current;
            current = null;
            if (exchange == null || exchange.done) {
                ctx.close(); // an answer nobody waits for (timed out): the connection's state is unknown
                return;
            }
            boolean reusable = HttpUtil.isKeepAlive(response) && response.decoderResult().isSuccess();
            exchange.channel = null;
            if (reusable) {
                pool.offer(origin, ctx.channel());
            } else {
                ctx.close();
            }
            exchange.succeed(response);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pool.remove(origin, ctx.channel());
            Exchange<?> exchange = current;
            current = null;
            if (exchange != null) {
                // Written, then closed: the subgraph may have received (and acted on) the request.
                exchange.fail(new SubgraphFetchException(exchange.what()
                        + ": the connection closed before the response was complete", null,
                        AttemptOutcome.Failure.RESET_BEFORE_RESPONSE));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange<?> exchange = current;
            current = null;
            if (exchange != null) {
                exchange.fail(failure(exchange, cause, AttemptOutcome.Failure.RESET_BEFORE_RESPONSE));
            }
            ctx.close();
        }
    }

    /** Scheme-less address of a subgraph: host and port (80 when the URL has none). */
    private record Origin(String host, int port) {
        static Origin of(URI url) {
            return new Origin(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
        }
    }

    /** Idle keep-alive connections of one event loop; only ever touched on that loop. */
    private static final class LoopPool {
        private final Map<Origin, ArrayDeque<Channel>> idle = new HashMap<>();

        Channel poll(Origin origin) {
            ArrayDeque<Channel> channels = idle.get(origin);
            if (channels == null) {
                return null;
            }
            Channel channel;
            while ((channel = channels.pollLast()) != null) {
                if (channel.isActive()) {
                    return channel;
                }
            }
            return null;
        }

        void offer(Origin origin, Channel channel) {
            ArrayDeque<Channel> channels = idle.computeIfAbsent(origin, o -> new ArrayDeque<>());
            if (channels.size() >= MAX_IDLE_PER_ORIGIN || !channel.isActive()) {
                channel.close();
            } else {
                channels.addLast(channel);
            }
        }

        void remove(Origin origin, Channel channel) {
            ArrayDeque<Channel> channels = idle.get(origin);
            if (channels != null) {
                channels.remove(channel);
            }
        }
    }

    @Override
    public void close() {
        HttpSubgraphTransport client = jdk.ifCreated();
        if (client != null) {
            client.close();
        }
        EventLoopGroup group = ownGroup.ifCreated();
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
