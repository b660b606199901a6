package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.ProxyStats;
import io.atrium.edge.proxy.Route;
import io.atrium.policy.error.ProblemType;
import io.atrium.policy.error.ProblemTypes;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and the exchange (request plus response) in progress on it. Exchanges run one at a time:
 * pipelined requests wait until the previous response is complete. Everything runs on the connection's event loop.
 *
 * <p>Bodies stream chunk by chunk. Backpressure: the client is read only while the upstream is writable, the upstream
 * only while the client is writable. Upstream connections come from the same loop's {@link EndpointPool}.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    private final DataPath dataPath;
    private final LoopResources loop;
    private final ProxyStats stats;
    private Channel ch;
    private String clientIp = "unknown";

    /** Pipelined messages that arrived while an earlier exchange was still being answered. */
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>(2);
    /** Request body chunks that arrived before an upstream connection was ready. */
    private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>(2);
    private boolean closing;

    // The current exchange. `exchange` increases per request so late callbacks of an earlier one are recognised.
    private int exchange;
    private boolean inExchange;
    private HttpRequest head;
    private String target;
    private String requestId;
    private Route route;
    private boolean http11Client;
    private boolean keepAlive;
    private boolean bodyless;
    private boolean requestComplete;
    private boolean rejected;
    private boolean responseStarted;
    private boolean skippingInformational;
    private boolean upstreamKeepAlive;
    private boolean lastSentUpstream;
    private boolean retried;
    private boolean reusedUpstream;
    private boolean upstreamFlushPending;
    private EndpointPool pool;
    private Channel upstream;
    private UpstreamHandler upstreamHandler;
    private ScheduledFuture<?> timeout;

    ClientConnection(DataPath dataPath, LoopResources loop) {
        this.dataPath = dataPath;
        this.loop = loop;
        this.stats = dataPath.stats();
    }

    // ---------------------------------------------------------------- client side events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ch = ctx.channel();
        SocketAddress remote = ch.remoteAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            clientIp = inet.getAddress().getHostAddress();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (inExchange && requestComplete) {
            pipelined.addLast(msg);
            updateClientRead();
            return;
        }
        handle(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushUpstream();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (upstream != null && responseStarted) {
            upstream.config().setAutoRead(ch.isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (inExchange) {
            abortUpstream();
            finishExchangeState();
        }
        releaseAll(pipelined);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are routine for a proxy; the connection's state is cleaned up in channelInactive.
        closing = true;
        ctx.close();
    }

    private void handle(Object msg) {
        if (msg instanceof HttpRequest request) {
            startExchange(request);
            if (msg instanceof HttpContent content && !closing) {
                onRequestContent(content);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof HttpContent content && inExchange) {
            onRequestContent(content);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    // ---------------------------------------------------------------- request side

    private void startExchange(HttpRequest request) {
        exchange++;
        inExchange = true;
        dataPath.exchangeStarted();
        head = request;
        target = request.uri();
        requestId = RequestIds.acceptOrGenerate(request.headers().get(ProxyHeaders.X_REQUEST_ID));
        http11Client = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
        requestComplete = false;
        rejected = false;
        responseStarted = false;
        skippingInformational = false;
        upstreamKeepAlive = false;
        lastSentUpstream = false;
        retried = false;
        route = null;
        pool = null;

        if (request.decoderResult().isFailure()) {
            target = null; // the decoder's placeholder, not what the client sent
            reply(ProblemTypes.BAD_REQUEST, "The request could not be parsed: " + reason(request.decoderResult().cause()), true);
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(request) && !dataPath.draining();
        bodyless = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0L;
        String targetProblem = RequestTargets.problem(target);
        if (targetProblem != null) {
            reply(ProblemTypes.BAD_REQUEST, "Bad request target: " + targetProblem + ".", !bodyless);
            return;
        }
        route = dataPath.routes().resolve(target);
        if (route == null) {
            reply(ProblemTypes.ROUTE_NOT_FOUND, "No route matches path " + ProblemResponses.pathOf(target) + ".", !bodyless);
            return;
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            // Answered here rather than by the upstream: the body is streamed anyway and the upstream may be HTTP/1.0.
            ch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        pool = loop.pick(route.cluster());
        ProxyHeaders.toUpstream(request.headers(), clientIp, requestId, pool.authority());
        request.setUri(route.upstreamTarget(target));
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        Channel ready = pool.acquire(this, exchange);
        if (ready != null) {
            attach(ready, true);
        } else {
            updateClientRead();
        }
    }

    private void onRequestContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (rejected) {
            content.release();
            if (last) {
                requestComplete = true;
                endExchange();
            }
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            requestComplete = true;
            if (responseStarted) {
                closeClient();
            } else {
                reply(ProblemTypes.BAD_REQUEST, "The request body could not be parsed: " + reason(content.decoderResult().cause()), true);
            }
            return;
        }
        if (last) {
            requestComplete = true;
            if (!responseStarted) {
                startTimeout();
            }
        }
        if (upstream == null) {
            pendingBody.addLast(content);
        } else {
            writeUpstream(content);
            upstreamFlushPending = true;
        }
        updateClientRead();
    }

    private void writeUpstream(HttpContent content) {
        if (content instanceof LastHttpContent) {
            lastSentUpstream = true;
        }
        int bytes = content.content().readableBytes();
        if (bytes == 0) {
            upstream.write(content, upstream.voidPromise());
            return;
        }
        stats.bodyBytesAccepted(bytes);
        upstream.write(content).addListener(f -> stats.bodyBytesWritten(bytes));
    }

    private void flushUpstream() {
        if (upstreamFlushPending && upstream != null) {
            upstreamFlushPending = false;
            upstream.flush();
        }
    }

    /**
     * Whether to read the client. While a request body streams: only when the upstream can take it. Once the request is
     * complete: keep reading (so a client that goes away is noticed and its upstream exchange cancelled) until a
     * pipelined message arrives; those wait, unread beyond one socket read, until the response is done. Ordinary
     * clients therefore never toggle the read interest, which would cost system calls on every request.
     */
    private void updateClientRead() {
        boolean read;
        if (closing) {
            read = false;
        } else if (!inExchange || requestComplete) {
            read = pipelined.isEmpty();
        } else {
            read = rejected || (upstream != null && upstream.isWritable());
        }
        if (ch.config().isAutoRead() != read) {
            ch.config().setAutoRead(read);
        }
    }

    // ---------------------------------------------------------------- upstream connection lifecycle

    /** Called by the pool when a connection is ready; false when this exchange no longer wants one. */
    boolean upstreamReady(int forExchange, Channel ready, boolean reused) {
        if (!isWaitingForUpstream(forExchange)) {
            return false;
        }
        attach(ready, reused);
        return true;
    }

    boolean isWaitingForUpstream(int forExchange) {
        return forExchange == exchange && inExchange && upstream == null && !responseStarted && !closing;
    }

    void upstreamFailed(int forExchange, Throwable cause) {
        if (!isWaitingForUpstream(forExchange)) {
            return;
        }
        reply(ProblemTypes.UPSTREAM_UNAVAILABLE, "Could not connect to upstream " + pool.describe() + " of route "
                + route.name() + ": " + reason(cause), !requestComplete);
    }

    private void attach(Channel ready, boolean reused) {
        upstream = ready;
        upstreamHandler = (UpstreamHandler) ready.pipeline().last();
        upstreamHandler.owner(this);
        reusedUpstream = reused;
        ready.write(head, ready.voidPromise());
        HttpContent chunk;
        while ((chunk = pendingBody.pollFirst()) != null) {
            writeUpstream(chunk);
        }
        if (requestComplete && !lastSentUpstream) {
            // A retried bodyless request: its end marker went to the connection that failed.
            writeUpstream(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        upstreamFlushPending = false;
        ready.flush();
        updateClientRead();
    }

    private void detachUpstream() {
        upstreamHandler.owner(null);
        upstream.config().setAutoRead(true);
        upstream = null;
        upstreamHandler = null;
    }

    private void abortUpstream() {
        if (upstream != null) {
            Channel broken = upstream;
            upstreamHandler.owner(null);
            upstream = null;
            upstreamHandler = null;
            broken.close();
        }
    }

    // ---------------------------------------------------------------- response side

    void onUpstreamMessage(Object msg) {
        if (msg instanceof HttpResponse response) {
            onResponseHead(response);
            if (msg instanceof HttpContent content && upstream != null) {
                onResponseContent(content);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof HttpContent content) {
            onResponseContent(content);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private void onResponseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            onUpstreamLost(response.decoderResult().cause());
            return;
        }
        int status = response.status().code();
        if (status < 200) {
            // Informational responses (100 Continue) are not forwarded: the edge answered Expect itself.
            skippingInformational = true;
            return;
        }
        cancelTimeout();
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        ProxyHeaders.toClient(response.headers(), requestId);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!requestComplete) {
            // The upstream answered before the request ended; the rest of the request cannot be delimited reliably.
            keepAlive = false;
        }
        boolean mayHaveBody = !HttpMethod.HEAD.equals(head.method()) && status != 204 && status != 304;
        if (mayHaveBody && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
            if (http11Client) {
                HttpUtil.setTransferEncodingChunked(response, true);
            } else {
                keepAlive = false;
            }
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!http11Client) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        responseStarted = true;
        ch.write(response, ch.voidPromise());
    }

    private void onResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (skippingInformational) {
            content.release();
            skippingInformational = !last;
            return;
        }
        if (!responseStarted) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            onUpstreamLost(content.decoderResult().cause());
            return;
        }
        int bytes = content.content().readableBytes();
        if (bytes == 0) {
            ch.write(content, ch.voidPromise());
        } else {
            stats.bodyBytesAccepted(bytes);
            ch.write(content).addListener(f -> stats.bodyBytesWritten(bytes));
        }
        if (!last) {
            if (!ch.isWritable()) {
                upstream.config().setAutoRead(false);
            }
            return;
        }
        completeResponse();
    }

    private void completeResponse() {
        Channel used = upstream;
        boolean reusable = upstreamKeepAlive && lastSentUpstream && requestComplete;
        EndpointPool usedPool = pool;
        detachUpstream();
        usedPool.release(used, reusable);
        if (keepAlive && requestComplete) {
            ch.flush();
            endExchange();
        } else {
            closeClient();
        }
    }

    void onUpstreamReadComplete() {
        ch.flush();
    }

    void onUpstreamWritabilityChanged() {
        updateClientRead();
    }

    /** The upstream connection closed or failed while this exchange owned it. */
    void onUpstreamLost(Throwable cause) {
        Channel lost = upstream;
        if (lost == null) {
            return;
        }
        upstreamHandler.owner(null);
        upstream = null;
        upstreamHandler = null;
        lost.close();
        if (responseStarted) {
            // Part of the response is already on its way: the only honest signal left is closing the connection.
            closeClient();
            return;
        }
        if (reusedUpstream && bodyless && !retried) {
            // A kept-alive connection the upstream had just closed; a bodyless request can safely go again once.
            retried = true;
            lastSentUpstream = false;
            Channel ready = pool.acquire(this, exchange);
            if (ready != null) {
                attach(ready, true);
            }
            return;
        }
        String why = cause == null ? "it closed the connection before responding" : reason(cause);
        reply(ProblemTypes.UPSTREAM_UNAVAILABLE, "Upstream " + pool.describe() + " of route " + route.name()
                + " failed: " + why + ".", !requestComplete);
    }

    private void startTimeout() {
        int forExchange = exchange;
        timeout = ch.eventLoop().schedule(() -> onTimeout(forExchange), route.cluster().responseTimeoutNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private void onTimeout(int forExchange) {
        if (forExchange != exchange || !inExchange || responseStarted || closing) {
            return;
        }
        timeout = null;
        abortUpstream();
        long millis = TimeUnit.NANOSECONDS.toMillis(route.cluster().responseTimeoutNanos());
        reply(ProblemTypes.UPSTREAM_TIMEOUT, "Upstream of route " + route.name() + " did not respond within " + millis
                + " ms.", !requestComplete);
    }

    // ---------------------------------------------------------------- ending exchanges

    /** Answers the current exchange with a problem document generated by the edge. */
    private void reply(ProblemType type, String detail, boolean close) {
        cancelTimeout();
        abortUpstream();
        releaseAll(pendingBody);
        responseStarted = true;
        boolean closeAfter = close || !keepAlive;
        var response = ProblemResponses.problem(type, detail, target, requestId, closeAfter, http11Client);
        if (closeAfter) {
            closing = true;
            ch.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            updateClientRead();
            return;
        }
        ch.writeAndFlush(response);
        if (requestComplete) {
            endExchange();
        } else {
            rejected = true;
            updateClientRead();
        }
    }

    private void endExchange() {
        finishExchangeState();
        Object next;
        while (!closing && !(inExchange && requestComplete) && (next = pipelined.pollFirst()) != null) {
            handle(next);
        }
        flushUpstream();
        updateClientRead();
    }

    private void finishExchangeState() {
        if (!inExchange) {
            return;
        }
        cancelTimeout();
        releaseAll(pendingBody);
        inExchange = false;
        head = null;
        route = null;
        pool = null;
        dataPath.exchangeEnded();
    }

    private void closeClient() {
        closing = true;
        finishExchangeState();
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private static void releaseAll(ArrayDeque<?> messages) {
        Object msg;
        while ((msg = messages.pollFirst()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    private static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
