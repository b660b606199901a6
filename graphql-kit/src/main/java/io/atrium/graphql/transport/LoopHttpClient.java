package io.atrium.graphql.transport;

import io.atrium.policy.resilience.AttemptOutcome;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.ThreadExecutorMap;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plain HTTP/1.1 calls on Netty, on the event loop that is already handling the caller's request: the router's
 * subgraph fetches and REST connector calls, a BFF's forwarding to the router.
 *
 * <p>A call started on a Netty event loop (a server's request handler) uses that loop's own keep-alive connections to
 * the origin, and its answer is decoded and handed on on the same thread: no hand-off between a server thread, a
 * client selector and a worker pool per answer, and no locking in the connection pool, which is per loop. Calls
 * started elsewhere (tests, tools, a blocking thread) run on a small event loop group of the client's own.
 * {@code http} only: callers send {@code https} and {@code h2c} elsewhere.
 *
 * <p>A pooled connection is only ever used for one exchange at a time (no pipelining). A request is sent at most
 * once: when a pooled connection turns out to be closed before the request was written, a new connection is opened;
 * once written, a failure fails the call (the origin may have acted on it). Failures are what the caller's
 * {@link Failures} makes of a message, a cause and an {@link AttemptOutcome} (how far the request got, which decides
 * whether the caller may retry it).
 */
public final class LoopHttpClient implements AutoCloseable {
    /** Largest answer accepted (bytes). */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    /** Idle keep-alive connections kept per origin and event loop. */
    private static final int MAX_IDLE_PER_ORIGIN = 256;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** Makes a caller's exception of a failed call (expected failures: the caller's type, typically stackless). */
    @FunctionalInterface
    public interface Failures {
        RuntimeException failure(String message, Throwable cause, AttemptOutcome outcome);
    }

    /** Reads a whole answer into what the caller gets; a runtime exception it throws fails the call as it is. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(FullHttpResponse response);
    }

    /** An answer: status, headers (lower-case names), body bytes (empty when none). */
    public record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header (lower-case name), or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    private final Failures failures;
    private final String threadName;
    private final Map<EventExecutor, LoopPool> pools = new ConcurrentHashMap<>();
    /** Loops for calls started off any compatible event loop (tests, tools); created on first use. */
    private final Lazy<EventLoopGroup> ownGroup;

    /**
     * @param threadName the name of the client's own event loop threads (used only for calls started off a loop)
     * @param failures   what a failed call completes with
     */
    public LoopHttpClient(String threadName, Failures failures) {
        this.threadName = threadName;
        this.failures = failures;
        this.ownGroup = new Lazy<>(() -> new MultiThreadIoEventLoopGroup(
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                new DefaultThreadFactory(this.threadName, true),
                // epoll where the data paths use it: a call made off their loops (the BFF's registry poll, once a
                // second) then runs the channel code they keep compiled, not NIO's, which stays interpreted
                io.netty.channel.epoll.Epoll.isAvailable() ? io.netty.channel.epoll.EpollIoHandler.newFactory()
                        : NioIoHandler.newFactory()));
    }

    /**
     * One request to an {@code http} URL: sent at most once, its whole answer read and decoded by {@code decoder} on
     * the event loop. {@code name} is what failure messages call the origin ("HTTP fetch failed from 'name': ...").
     * The request's Host must be set ({@link #newRequest}); this call releases it.
     */
    public <T> CompletionStage<T> send(String name, URI url, FullHttpRequest request, Duration timeout, Decoder<T> decoder) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Exchange<T> exchange = new Exchange<>(name, url, timeout, request, decoder, result);
        EventLoop loop = currentLoop();
        if (loop.inEventLoop()) {
            start(loop, exchange);
        } else {
            loop.execute(() -> start(loop, exchange));
        }
        return result;
    }

    /**
     * One plain request with the given headers (Host and Content-Length are set here), answered as a {@link Reply}.
     *
     * @param body null for none
     */
    public CompletionStage<Reply> exchange(String name, String method, URI url, Map<String, String> headers, byte[] body,
                                           Duration timeout) {
        return exchange(name, method, url, target(url), headers, body, timeout);
    }

    /**
     * {@link #exchange(String, String, URI, Map, byte[], Duration)} with the request target (path and query, already
     * percent-encoded and checked by the caller) given apart from the origin, which only its scheme, host and port are
     * read of.
     */
    public CompletionStage<Reply> exchange(String name, String method, URI origin, String target,
                                           Map<String, String> headers, byte[] body, Duration timeout) {
        FullHttpRequest http;
        try {
            ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
            http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target, content);
            HttpHeaders out = http.headers();
            headers.forEach(out::set);
            out.set(HttpHeaderNames.HOST, authority(origin));
            if (body != null || !method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE")) {
                out.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failures.failure("HTTP call failed to '" + name + "': "
                    + e.getMessage(), e, AttemptOutcome.Failure.CONNECT_FAILED));
        }
        return send(name, origin, http, timeout, LoopHttpClient::reply);
    }

    /** An answer as a {@link Reply}. */
    public static Reply reply(FullHttpResponse response) {
        Map<String, List<String>> headers = new HashMap<>();
        for (Map.Entry<String, String> header : response.headers()) {
            headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(header.getValue());
        }
        return new Reply(response.status().code(), headers, bytes(response.content()));
    }

    /** A request for {@code url}'s path and query with its Host header set; the caller adds the rest. */
    public static FullHttpRequest newRequest(HttpMethod method, URI url, ByteBuf content) {
        FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target(url), content);
        http.headers().set(HttpHeaderNames.HOST, authority(url));
        return http;
    }

    /** A buffer's readable bytes, without a copy when it is exactly one whole array. */
    public static byte[] bytes(ByteBuf content) {
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

    /** The calling thread's event loop when a socket channel can live on it, else a loop of the client's own. */
    private EventLoop currentLoop() {
        EventExecutor current = ThreadExecutorMap.currentExecutor();
        if (current instanceof IoEventLoop loop && socketChannelFor(loop) != null) {
            return loop;
        }
        return ownGroup.get().next();
    }

    /**
     * The socket channel class for an event loop: epoll's on epoll loops, NIO's on NIO loops, else null (a client
     * connection cannot live on it).
     */
    public static Class<? extends Channel> socketChannelFor(EventLoop loop) {
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

    private void start(EventLoop loop, Exchange<?> exchange) {
        exchange.timer = loop.schedule(() -> exchange.fail(failures.failure(exchange.what()
                + ": timed out after " + exchange.timeout.toMillis() + " ms", null,
                AttemptOutcome.Failure.PER_TRY_TIMEOUT)), exchange.timeout.toMillis(), TimeUnit.MILLISECONDS);
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
        new Bootstrap().group(loop).channel(socketChannelFor(loop))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                // pooled with per-loop caches: Netty 4.2's default (adaptive) allocator fell back to unpooled,
                // zeroed direct memory freed by a Cleaner for the 64 KB reads of large answers (BFF profile)
                .option(ChannelOption.ALLOCATOR, DataPathBuffers.ALLOCATOR)
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
                // Never written: the request did not reach the origin, so it may go on a new connection.
                connect(channel.eventLoop(), exchange, pool, origin);
            }
        });
    }

    private RuntimeException failure(Exchange<?> exchange, Throwable cause, AttemptOutcome outcome) {
        String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return failures.failure(exchange.what() + ": " + what, cause, outcome);
    }

    /** One request in flight: completes its future exactly once, on the event loop. */
    private static final class Exchange<T> {
        final String name;
        final URI url;
        final Duration timeout;
        final FullHttpRequest http;
        final Decoder<T> decoder;
        final CompletableFuture<T> result;
        ScheduledFuture<?> timer;
        Channel channel;
        boolean done;

        Exchange(String name, URI url, Duration timeout, FullHttpRequest http, Decoder<T> decoder,
                 CompletableFuture<T> result) {
            this.name = name;
            this.url = url;
            this.timeout = timeout;
            this.http = http;
            this.decoder = decoder;
            this.result = result;
        }

        /** The start of a failure's message: the origin's name. */
        String what() {
            return "HTTP fetch failed from '" + name + "'";
        }

        void fail(RuntimeException failure) {
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
            } catch (RuntimeException e) {
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

    /** Per connection: hands the answer to the exchange in flight, then returns the connection to its pool. */
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
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
                // Written, then closed: the origin may have received (and acted on) the request.
                exchange.fail(failures.failure(exchange.what() + ": the connection closed before the response was complete",
                        null, AttemptOutcome.Failure.RESET_BEFORE_RESPONSE));
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

    /** Scheme-less address of an origin: host and port (80 when the URL has none). */
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

    /** A value created on first use, at most once (thread-safe); {@link #ifCreated} never creates it. */
    public static final class Lazy<T> {
        private final Supplier<T> create;
        private volatile T value;

        public Lazy(Supplier<T> create) {
            this.create = create;
        }

        public T get() {
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

        /** The value when it was created, else null. */
        public T ifCreated() {
            return value;
        }
    }

    @Override
    public void close() {
        EventLoopGroup group = ownGroup.ifCreated();
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
