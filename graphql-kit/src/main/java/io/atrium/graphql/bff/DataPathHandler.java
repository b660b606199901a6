package io.atrium.graphql.bff;

import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.http.LingeringClose;
import io.atrium.graphql.transport.DataPathBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BFF's data path inside its framework's HTTP/1.1 server pipeline: placed between the HTTP codec and the
 * framework's request handler, it answers the {@link DataPath} routes itself, on the connection's event loop (the
 * body gathered into one buffer, the handler's {@link BffResult} written as one response), and passes every other
 * request on unchanged. A GraphQL request through a BFF is short and non-blocking (the document, view and policies
 * come from caches; the router is called on the same loop by {@code RouterForwarder}), so a framework's generic
 * routing, filters and body binding would cost more CPU than the BFF's own work.
 *
 * <p>Responses stay in request order on a connection (HTTP/1.1 pipelining): a request that arrives while an own
 * answer is pending waits for it, and a data-path request that arrives while the framework still owes a response
 * goes to the framework too (its controllers serve the same routes through the same kit functions). Requests with
 * {@code Expect} or {@code Upgrade}, absolute-form targets and requests the codec could not decode go to the framework.
 */
public final class DataPathHandler extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DataPathHandler.class);
    /** The handler's name in the pipeline. */
    public static final String NAME = "atrium-bff-data-path";
    /** Messages (request heads and body parts) held behind a pending answer before the connection is closed. */
    private static final int MAX_HELD = 1024;
    private static final Map<String, String> NO_STORE = Map.of("cache-control", "no-store");

    private final DataPath routes;
    /** Responses the framework owes for requests passed to it (counted down as their last part is written). */
    private int frameworkPending;
    /** Passing a framework request's body parts on. */
    private boolean passing;
    /** An own request being gathered (its head) and its body so far. */
    private HttpRequest head;
    private DataPath.Handler handler;
    private CompositeByteBuf body;
    private boolean tooLarge;
    /** An own answer is pending: later messages wait in {@link #held}. */
    private boolean busy;
    /** A 413 was sent before the body was read: the connection is closed lingering. */
    private boolean lingering;
    private final ArrayDeque<Object> held = new ArrayDeque<>();

    public DataPathHandler(DataPath routes) {
        this.routes = routes;
    }

    /**
     * Adds a data path handler before {@code before} (the framework's request handler) when the pipeline has
     * {@code codec} (an HTTP/1.1 server codec) and {@code before}; otherwise (HTTP/2, a pipeline it does not know)
     * leaves it as it is, and the framework serves everything.
     *
     * @return whether it was added
     */
    public static boolean install(ChannelPipeline pipeline, String codec, String before, DataPath routes) {
        if (pipeline.get(codec) == null || pipeline.get(before) == null || pipeline.get(NAME) != null) {
            return false;
        }
        pipeline.addBefore(before, NAME, new DataPathHandler(routes));
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (busy || !held.isEmpty()) {
            if (held.size() >= MAX_HELD) {
                ReferenceCountUtil.release(msg); // a client pipelining without reading its answers
                release();
                ctx.close();
                return;
            }
            held.add(msg);
            return;
        }
        read(ctx, msg);
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            DataPath.Handler own = frameworkPending == 0 && !passing ? ownHandler(request) : null;
            if (own == null) {
                frameworkPending++;
                passing = !(msg instanceof LastHttpContent);
                ctx.fireChannelRead(msg);
                return;
            }
            head = request;
            handler = own;
            tooLarge = HttpUtil.getContentLength(request, -1L) > routes.maxBodyBytes();
            body = ctx.alloc().compositeBuffer();
            if (msg instanceof HttpContent content) {
                gather(ctx, content);
            }
            return;
        }
        if (msg instanceof HttpContent content) {
            if (passing) {
                passing = !(msg instanceof LastHttpContent);
                ctx.fireChannelRead(msg);
            } else if (head != null) {
                gather(ctx, content);
            } else {
                ReferenceCountUtil.release(msg); // a stray part: nothing is waiting for it
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** The route's handler when this request is the data path's, else null. */
    private DataPath.Handler ownHandler(HttpRequest request) {
        if (!request.decoderResult().isSuccess() || request.protocolVersion() != HttpVersion.HTTP_1_1
                && request.protocolVersion() != HttpVersion.HTTP_1_0) {
            return null;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.EXPECT) || headers.contains(HttpHeaderNames.UPGRADE)) {
            return null;
        }
        String uri = request.uri();
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            return null;
        }
        int query = uri.indexOf('?');
        return routes.find(request.method().name(), query < 0 ? uri : uri.substring(0, query));
    }

    private void gather(ChannelHandlerContext ctx, HttpContent content) {
        ByteBuf bytes = content.content();
        if (tooLarge || body.readableBytes() + bytes.readableBytes() > routes.maxBodyBytes()) {
            content.release();
            refuseTooLarge(ctx);
            return;
        }
        body.addComponent(true, bytes.retain());
        content.release();
        if (content instanceof LastHttpContent) {
            dispatch(ctx);
        }
    }

    /** 413 as soon as the body is known to be too large, and the connection closed lingering (the rest discarded). */
    private void refuseTooLarge(ChannelHandlerContext ctx) {
        head = null;
        handler = null;
        body.release();
        body = null;
        busy = true;
        lingering = true;
        respond(ctx, BffResult.errors(413, NO_STORE, GraphQLErrorCodes.PAYLOAD_TOO_LARGE, "the request body is over "
                + routes.maxBodyBytes() + " bytes"), false);
    }

    private void dispatch(ChannelHandlerContext ctx) {
        HttpRequest request = head;
        DataPath.Handler route = handler;
        CompositeByteBuf gathered = body;
        head = null;
        handler = null;
        body = null;
        busy = true;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        byte[] bytes = ByteBufUtil.getBytes(gathered);
        gathered.release();
        String uri = request.uri();
        int query = uri.indexOf('?');
        HttpHeaders headers = request.headers();
        DataPath.Request own = new DataPath.Request(request.method().name(), query < 0 ? uri : uri.substring(0, query),
                query < 0 ? null : uri.substring(query + 1), headers::get, bytes);
        CompletionStage<BffResult> answer;
        ANSWERING.set(Boolean.TRUE);
        try {
            answer = route.handle(own);
        } catch (RuntimeException e) {
            try (var trace = io.atrium.policy.observability.LogTrace.openTraceparent(headers.get("traceparent"))) {
                LOG.warn("{\"event\":\"data_path_failed\",\"path\":\"{}\",\"error\":\"{}\"}", own.path(),
                        e.getClass().getSimpleName());
            }
            respond(ctx, BffResult.errors(500, NO_STORE, GraphQLErrorCodes.INTERNAL_SERVER_ERROR,
                    "the request could not be answered"), keepAlive);
            return;
        } finally {
            ANSWERING.remove();
        }
        answer.whenComplete((result, failure) -> {
            BffResult out = failure == null ? result : BffResult.errors(500, NO_STORE,
                    GraphQLErrorCodes.INTERNAL_SERVER_ERROR, "the request could not be answered");
            if (ctx.executor().inEventLoop()) {
                respond(ctx, out, keepAlive);
            } else {
                ctx.executor().execute(() -> respond(ctx, out, keepAlive));
            }
        });
    }

    /**
     * Whether this thread is starting the answer to a data-path request (inside a route's handler): a router answer
     * requested now may be kept as the buffers it was read into ({@link BffResult#wire}), since this handler writes
     * whatever result it gets (and so releases its buffers).
     */
    static boolean answering() {
        return ANSWERING.get() != null;
    }

    private static final ThreadLocal<Boolean> ANSWERING = new ThreadLocal<>();

    private void respond(ChannelHandlerContext ctx, BffResult result, boolean keepAlive) {
        boolean empty = result.status() == 304 || result.status() == 204;
        ByteBuf content;
        if (result.wire() != null) {
            // the router's answer as it was read: written from the same buffers, no copy
            content = result.wire();
            if (empty) {
                content.release();
                content = Unpooled.EMPTY_BUFFER;
            }
        } else {
            // copied once into pooled direct memory: a heap buffer would be copied by the channel anyway, into
            // unpooled, zeroed memory once the answer is larger than the server allocator's pooled sizes
            content = empty || result.body().length == 0 ? Unpooled.EMPTY_BUFFER
                    : DataPathBuffers.ALLOCATOR.directBuffer(result.body().length).writeBytes(result.body());
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(result.status()), content);
        HttpHeaders headers = response.headers();
        if (!empty) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, result.headers().getOrDefault("content-type", "application/json"));
            headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        }
        for (Map.Entry<String, String> header : result.headers().entrySet()) {
            if (!header.getKey().equals("content-type")) {
                headers.set(header.getKey(), header.getValue());
            }
        }
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        routes.answered().increment();
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(lingering ? LingeringClose.AFTER_WRITE : ChannelFutureListener.CLOSE);
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            return;
        }
        busy = false;
        while (!busy && !held.isEmpty()) {
            read(ctx, held.poll());
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent && frameworkPending > 0 && !(msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
            frameworkPending--; // the framework finished one of its responses (a 100 Continue is not one)
        }
        ctx.write(msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        if (body != null) {
            body.release();
            body = null;
        }
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }
}
