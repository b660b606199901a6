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
        CompletableFuture<SubgraphResponse> result = new CompletableFuture<>();
        FullHttpRequest http;
        try {
            http = encode(request);
        } catch (RuntimeException e) {
            result.completeExceptionally(new SubgraphFetchException(
                    "HTTP fetch failed from '" + request.subgraphName() + "': " + e.getMessage(), e));
            return result;
        }
        EventLoop loop = currentLoop();
        if (loop.inEventLoop()) {
            start(loop, request, http, result);
        } else {
            loop.execute(() -> start(loop, request, http, result));
        }
        return result;
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
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target, content);
        HttpHeaders headers = http.headers();
        headers.set(HttpHeaderNames.HOST, url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort());
        headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        headers.set(HttpHeaderNames.ACCEPT, "application/graphql-response+json, application/json");
        headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        request.headers().forEach(headers::set);
        return http;
    }

    private void start(EventLoop loop, SubgraphRequest request, FullHttpRequest http, CompletableFuture<SubgraphResponse> result) {
        Exchange exchange = new Exchange(request, http, result);
        exchange.timer = loop.schedule(() -> exchange.fail(new SubgraphFetchException("HTTP fetch failed from '"
                + request.subgraphName() + "': timed out after " + request.timeout().toMillis() + " ms", null,
                AttemptOutcome.Failure.PER_TRY_TIMEOUT)),
                request.timeout().toMillis(), TimeUnit.MILLISECONDS);
        LoopPool pool = pools.computeIfAbsent(loop, l -> new LoopPool());
        Origin origin = Origin.of(request.url());
        Channel idle = pool.poll(origin);
        if (idle != null) {
            send(idle, exchange, pool, origin);
        } else {
            connect(loop, exchange, pool, origin);
        }
    }

    private void connect(EventLoop loop, Exchange exchange, LoopPool pool, Origin origin) {
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
                        exchange.fail(failure(exchange.request, connected.cause(), AttemptOutcome.Failure.CONNECT_FAILED));
                    }
                });
    }

    private void send(Channel channel, Exchange exchange, LoopPool pool, Origin origin) {
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

    private static SubgraphFetchException failure(SubgraphRequest request, Throwable cause, AttemptOutcome outcome) {
        String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new SubgraphFetchException("HTTP fetch failed from '" + request.subgraphName() + "': " + what, cause, outcome);
    }

    /** One request in flight: completes its future exactly once, on the event loop. */
    private static final class Exchange {
        final SubgraphRequest request;
        final FullHttpRequest http;
        final CompletableFuture<SubgraphResponse> result;
        ScheduledFuture<?> timer;
        Channel channel;
        boolean done;

        Exchange(SubgraphRequest request, FullHttpRequest http, CompletableFuture<SubgraphResponse> result) {
            this.request = request;
            this.http = http;
            this.result = result;
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

        void succeed(SubgraphResponse response) {
            if (!done) {
                finish();
                result.complete(response);
            }
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
        Exchange current;

        ResponseHandler(LoopPool pool, Origin origin) {
            this.pool = pool;
            this.origin = origin;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange exchange = current;
            current = null;
            if (exchange == null || exchange.done) {
                ctx.close(); // an answer nobody waits for (timed out): the connection's state is unknown
                return;
            }
            ByteBuf content = response.content();
            byte[] bytes = content.hasArray() && content.arrayOffset() == 0 && content.readerIndex() == 0
                    && content.array().length == content.readableBytes() ? content.array() : ByteBufUtil.getBytes(content);
            boolean reusable = HttpUtil.isKeepAlive(response) && response.decoderResult().isSuccess();
            exchange.channel = null;
            if (reusable) {
                pool.offer(origin, ctx.channel());
            } else {
                ctx.close();
            }
            SubgraphResponse parsed;
            try {
                parsed = SubgraphResponses.parse(exchange.request.subgraphName(), response.status().code(), bytes,
                        response.headers().contains(HttpHeaderNames.CACHE_CONTROL)
                                ? SubgraphResponses.cacheControl(response.headers().getAll(HttpHeaderNames.CACHE_CONTROL))
                                : null);
            } catch (SubgraphFetchException e) {
                exchange.fail(e);
                return;
            }
            exchange.succeed(parsed);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pool.remove(origin, ctx.channel());
            Exchange exchange = current;
            current = null;
            if (exchange != null) {
                // Written, then closed: the subgraph may have received (and acted on) the request.
                exchange.fail(new SubgraphFetchException("HTTP fetch failed from '" + exchange.request.subgraphName()
                        + "': the connection closed before the response was complete", null,
                        AttemptOutcome.Failure.RESET_BEFORE_RESPONSE));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange exchange = current;
            current = null;
            if (exchange != null) {
                exchange.fail(failure(exchange.request, cause, AttemptOutcome.Failure.RESET_BEFORE_RESPONSE));
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
