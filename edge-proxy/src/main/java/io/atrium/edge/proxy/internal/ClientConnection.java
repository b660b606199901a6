package io.atrium.edge.proxy.internal;

import io.atrium.edge.config.Protection;
import io.atrium.edge.proxy.CorsRule;
import io.atrium.edge.proxy.ProxyStats;
import io.atrium.edge.proxy.Route;
import io.atrium.edge.observe.AccessLog;
import io.atrium.edge.observe.EdgeMetrics;
import io.atrium.edge.observe.TraceContext;
import io.atrium.policy.Decision;
import io.atrium.policy.Identity;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.PolicyChain;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemType;
import io.atrium.policy.error.ProblemTypes;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http.TooLongHttpLineException;
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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and the exchange (request plus response) in progress on it. Exchanges run one at a time:
 * pipelined requests wait until the previous response is complete. Everything runs on the connection's event loop.
 *
 * <p>One class on purpose (it is longer than our usual files): the exchange is a single state machine confined to one
 * event loop, and splitting it would spread that state over objects that all need each other.
 *
 * <p>Bodies stream chunk by chunk. Backpressure: the client is read only while the upstream is writable, the upstream
 * only while the client is writable. Upstream connections come from the same loop's {@link EndpointPool}.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    /** At most this much of a refused request body is read and discarded before the connection is closed anyway. */
    static final long LINGER_MAX_BYTES = 4L * 1024 * 1024;
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final DataPath dataPath;
    /** The config generation of the last exchange and its pools on this connection's loop. */
    private Generation generation;
    private LoopResources loop;
    private final ProxyStats stats;
    /** Whether the client connected over TLS (sets X-Forwarded-Proto; redirect_to_https routes are served). */
    private final boolean secure;
    private Channel ch;
    private String clientIp = "unknown";
    private InetAddress clientAddress;

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
    /** Headers the policies (rate-limit state) and CORS add to this exchange's response. */
    private List<HttpHeader> responseHeaders = List.of();
    private List<HttpHeader> corsHeaders = List.of();
    private boolean awaitingPolicy;
    /** After an edge reply that ends the connection: the rest of the request body is discarded, then the connection closes. */
    private boolean closeAfterDrain;
    private long drained;
    // Observation of the current exchange (metrics and access log).
    private long startNanos;
    private long upstreamSentNanos;
    private long upstreamNanos;
    private int status;
    private long bytesOut;
    private String consumer;
    private String traceparent;
    private String protocol;
    private long maxBody;
    private long bodyBytesSeen;

    ClientConnection(DataPath dataPath, boolean secure) {
        this.secure = secure;
        this.dataPath = dataPath;
        this.stats = dataPath.stats();
    }

    // ---------------------------------------------------------------- client side events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Added after activation on TLS connections (once ALPN chose HTTP/1.1), so channelActive may never come.
        bind(ctx.channel());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        bind(ctx.channel());
        ctx.fireChannelActive();
    }

    private void bind(Channel channel) {
        ch = channel;
        SocketAddress remote = ch.remoteAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            clientAddress = inet.getAddress();
            clientIp = clientAddress.getHostAddress();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent || evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
            // The connection now speaks HTTP/2: each stream has its own ClientConnection; this one has nothing left to do.
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
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
        if (msg instanceof FullHttpRequest full && full.decoderResult().isSuccess()) {
            // HTTP/2 streams ending with their headers and h2c upgrade requests arrive whole; the exchange streams a
            // head and then its body, so split them (the head must not carry the body it would write a second time).
            HttpRequest headOnly = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            startExchange(headOnly);
            LastHttpContent body = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
            if (closing) {
                body.release();
            } else {
                onRequestContent(body);
            }
            return;
        }
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
        responseHeaders = List.of();
        corsHeaders = List.of();
        awaitingPolicy = false;
        closeAfterDrain = false;
        startNanos = System.nanoTime();
        upstreamNanos = -1;
        status = 0;
        bytesOut = 0;
        consumer = null;
        traceparent = null;
        protocol = ch instanceof Http2StreamChannel ? "HTTP/2" : request.protocolVersion().text();
        maxBody = Long.MAX_VALUE;
        bodyBytesSeen = 0;

        if (request.decoderResult().isFailure()) {
            target = null; // the decoder's placeholder, not what the client sent
            rejectUnparseable(request.decoderResult().cause());
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(request) && !dataPath.draining();
        bodyless = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0L;
        String targetProblem = RequestTargets.problem(target);
        if (targetProblem != null) {
            reply(ProblemTypes.BAD_REQUEST, "Bad request target: " + targetProblem + ".", !bodyless);
            return;
        }
        Generation current = dataPath.generation();
        if (current != generation) {
            generation = current;
            loop = current.loop(ch.eventLoop(), dataPath);
        }
        route = current.routes().resolve(target);
        if (route == null) {
            reply(ProblemTypes.ROUTE_NOT_FOUND, "No route matches path " + ProblemResponses.pathOf(target) + ".", !bodyless);
            return;
        }
        Protection protection = route.protection();
        if (!secure && protection.redirectToHttps()) {
            redirectToHttps(request);
            return;
        }
        if (!protection.ipFilter().isEmpty() && !protection.ipFilter().permits(clientAddress)) {
            reply(ProblemTypes.CLIENT_ADDRESS_DENIED, "Route " + route.name() + " does not accept requests from " + clientIp + ".", !bodyless);
            return;
        }
        maxBody = protection.maxRequestBody();
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > maxBody) {
            reply(ProblemTypes.PAYLOAD_TOO_LARGE, "The request body of " + declared + " bytes exceeds the limit of " + maxBody
                    + " bytes of route " + route.name() + ".", true);
            return;
        }
        if (route.cors() != null && answeredCors(request)) {
            return;
        }
        ProxyHeaders.stripInternal(request.headers());
        PolicyChain chain = route.policies();
        if (chain != null) {
            CompletionStage<Decision> stage = chain.evaluate(
                    PolicyContext.of(new NettyPolicyRequest(request, target, clientAddress, route.name()), requestId));
            Decision now = Decision.now(stage);
            if (now == null) {
                awaitingPolicy = true;
                int forExchange = exchange;
                stage.whenComplete((decision, failure) -> ch.eventLoop().execute(() -> onDecision(forExchange, decision, failure)));
                updateClientRead();
                return;
            }
            if (!apply(now, !bodyless)) {
                return;
            }
        }
        forward();
    }

    /** 308 to the same target on the HTTPS listener, for routes that only serve HTTPS. */
    private void redirectToHttps(HttpRequest request) {
        String host = RequestTargets.hostWithoutPort(request.headers().get(HttpHeaderNames.HOST));
        if (host == null) {
            reply(ProblemTypes.BAD_REQUEST, "Route " + route.name() + " is served over HTTPS only, and the request has no usable Host header to redirect to.", !bodyless);
            return;
        }
        int port = dataPath.httpsRedirectPort();
        String location = "https://" + host + (port == 443 ? "" : ":" + port) + target;
        send(ProblemResponses.empty(HttpResponseStatus.PERMANENT_REDIRECT, List.of(new HttpHeader("Location", location)), requestId,
                !bodyless || !keepAlive, http11Client), !bodyless);
    }

    private void rejectUnparseable(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            replyAndClose(ProblemTypes.REQUEST_HEADERS_TOO_LARGE, "The request headers exceed " + dataPath.maxHeaderSize() + " bytes.");
        } else if (cause instanceof TooLongHttpLineException) {
            replyAndClose(ProblemTypes.URI_TOO_LONG, "The request line exceeds " + DataPath.MAX_INITIAL_LINE + " bytes.");
        } else {
            replyAndClose(ProblemTypes.BAD_REQUEST, "The request could not be parsed: " + reason(cause));
        }
    }

    /** CORS: answers preflights (true) and remembers the headers for an allowed origin's actual request (false). */
    private boolean answeredCors(HttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return false;
        }
        CorsRule cors = route.cors();
        boolean allowed = cors.allowsOrigin(origin);
        String preflightMethod = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (!HttpMethod.OPTIONS.equals(request.method()) || preflightMethod == null) {
            if (allowed) {
                corsHeaders = cors.actualHeaders(origin);
            }
            return false;
        }
        if (!allowed || !cors.allowsPreflight(preflightMethod, request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS))) {
            reply(ProblemTypes.CORS_REJECTED, "Route " + route.name() + " does not allow origin " + origin + " with method "
                    + preflightMethod + " and the requested headers.", !bodyless);
            return true;
        }
        send(ProblemResponses.empty(HttpResponseStatus.NO_CONTENT, cors.preflightHeaders(origin), requestId, !bodyless || !keepAlive, http11Client),
                !bodyless);
        return true;
    }

    /** Applies a policy decision: true to go on upstream, false when the exchange was answered. */
    private boolean apply(Decision decision, boolean closeOnReply) {
        if (decision instanceof Decision.Reply reply) {
            send(ProblemResponses.problem(reply.problem(), reply.headers(), corsHeaders, requestId, closeOnReply || !keepAlive, http11Client),
                    closeOnReply);
            return false;
        }
        Decision.Continue cont = (Decision.Continue) decision;
        HttpHeaders headers = head.headers();
        for (HttpHeader header : cont.upstreamHeaders()) {
            headers.set(header.name(), header.value());
        }
        responseHeaders = cont.responseHeaders();
        Identity identity = cont.identity();
        if (identity != null) {
            consumer = identity.consumer() != null ? identity.consumer() : identity.subject();
        }
        return true;
    }

    private void onDecision(int forExchange, Decision decision, Throwable failure) {
        if (forExchange != exchange || !inExchange || !awaitingPolicy || closing) {
            return;
        }
        awaitingPolicy = false;
        if (failure != null || decision == null) {
            reply(ProblemTypes.POLICY_FAILED, "A policy of route " + route.name() + " failed: " + reason(failure) + ".", !requestComplete);
            return;
        }
        if (apply(decision, !requestComplete)) {
            forward();
        }
    }

    private void forward() {
        HttpRequest request = head;
        if (HttpUtil.is100ContinueExpected(request)) {
            // Answered here rather than by the upstream: the body is streamed anyway and the upstream may be HTTP/1.0.
            ch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        // Hook points for io.atrium.policy.resilience: endpoint choice (load balancing, health, outlier ejection, circuit
        // breaking) replaces LoopResources.pick; retries extend onUpstreamLost; a response cache answers before this point.
        pool = loop.pick(route.cluster());
        ProxyHeaders.toUpstream(request.headers(), clientIp, requestId, pool.authority(), secure);
        traceparent = TraceContext.next(request.headers().get(TraceContext.TRACEPARENT));
        request.headers().set(TraceContext.TRACEPARENT, traceparent);
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
            drained += content.content().readableBytes();
            content.release();
            if (closeAfterDrain && (last || drained > LINGER_MAX_BYTES)) {
                requestComplete = last;
                closeClient();
                return;
            }
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
                replyAndClose(ProblemTypes.BAD_REQUEST, "The request body could not be parsed: " + reason(content.decoderResult().cause()));
            }
            return;
        }
        bodyBytesSeen += content.content().readableBytes();
        if (bodyBytesSeen > maxBody) {
            // Chunked bodies have no declared length: the exchange is aborted as soon as the limit is crossed.
            requestComplete = last;
            content.release();
            if (responseStarted) {
                closeClient();
            } else {
                reply(ProblemTypes.PAYLOAD_TOO_LARGE, "The request body exceeds the limit of " + maxBody + " bytes of route "
                        + route.name() + ".", true);
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
        upstreamSentNanos = System.nanoTime();
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
        upstreamNanos = System.nanoTime() - upstreamSentNanos;
        route.meters().upstream(upstreamNanos);
        this.status = status;
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        ProxyHeaders.toClient(response.headers(), requestId);
        addAll(response.headers(), responseHeaders);
        addAll(response.headers(), corsHeaders);
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
        bytesOut += bytes;
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

    /**
     * Answers the current exchange with a problem document generated by the edge. With {@code close}, the connection
     * is closed after the response, once the rest of the request body has been read and discarded (bounded by
     * {@link #LINGER_MAX_BYTES} and {@link #LINGER_NANOS}): closing with unread data would reset the connection and
     * could destroy the response before the client reads it.
     */
    private void reply(ProblemType type, String detail, boolean close) {
        boolean closeAfter = close || !keepAlive;
        Problem problem = Problem.of(type, detail, ProblemResponses.pathOf(target), requestId);
        send(ProblemResponses.problem(problem, List.of(), corsHeaders, requestId, closeAfter, http11Client), close);
    }

    /** Answers and closes at once: the request could not be parsed, so the rest of its bytes cannot be delimited. */
    private void replyAndClose(ProblemType type, String detail) {
        requestComplete = true;
        reply(type, detail, true);
    }

    /** Answers the current exchange with a response generated by the edge ({@code response} must match {@code close}). */
    private void send(FullHttpResponse response, boolean close) {
        cancelTimeout();
        abortUpstream();
        releaseAll(pendingBody);
        responseStarted = true;
        awaitingPolicy = false;
        status = response.status().code();
        bytesOut = response.content().readableBytes();
        boolean closeAfter = close || !keepAlive;
        if (closeAfter && requestComplete) {
            closing = true;
            ch.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            updateClientRead();
            return;
        }
        ch.writeAndFlush(response);
        if (requestComplete) {
            endExchange();
            return;
        }
        rejected = true;
        if (closeAfter) {
            closeAfterDrain = true;
            drained = 0;
            int forExchange = exchange;
            ch.eventLoop().schedule(() -> {
                if (forExchange == exchange && closeAfterDrain && !closing) {
                    closeClient();
                }
            }, LINGER_NANOS, TimeUnit.NANOSECONDS);
        }
        updateClientRead();
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
        observe();
        inExchange = false;
        head = null;
        route = null;
        pool = null;
        dataPath.exchangeEnded();
    }

    /** Records the ending exchange: its timer, and its access-log line (enqueued; written by another thread). */
    private void observe() {
        long duration = System.nanoTime() - startNanos;
        (route != null ? route.meters() : dataPath.noRouteMeters()).exchange(status, duration);
        AccessLog log = dataPath.accessLog();
        if (log == null) {
            return;
        }
        log.log(new AccessLog.Entry(requestId, traceparent == null ? null : TraceContext.traceId(traceparent),
                route != null ? route.name() : EdgeMetrics.NO_ROUTE, head.method().name(), ProblemResponses.pathOf(target), protocol,
                clientIp, status, duration, upstreamNanos, upstreamNanos >= 0 && pool != null ? pool.authority() : null,
                bodyBytesSeen, bytesOut, consumer));
    }

    private void closeClient() {
        closing = true;
        finishExchangeState();
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private static void addAll(HttpHeaders headers, List<HttpHeader> extra) {
        for (int i = 0; i < extra.size(); i++) {
            HttpHeader header = extra.get(i);
            headers.add(header.name(), header.value());
        }
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
