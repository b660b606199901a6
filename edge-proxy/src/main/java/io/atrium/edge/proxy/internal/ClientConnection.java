package io.atrium.edge.proxy.internal;

import io.atrium.edge.config.Protection;
import io.atrium.edge.proxy.Cluster;
import io.atrium.edge.proxy.ProxyStats;
import io.atrium.edge.proxy.Route;
import io.atrium.edge.proxy.transform.JsonFilter;
import io.atrium.edge.observe.TraceContext;
import io.atrium.policy.Identity;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemType;
import io.atrium.policy.error.ProblemTypes;
import io.atrium.policy.observability.TraceParent;
import io.atrium.policy.cache.CacheLookup;
import io.atrium.policy.resilience.UpstreamCall;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
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
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and the exchange (request plus response) in progress on it. Exchanges run one at a time:
 * pipelined requests wait until the previous response is complete. Everything runs on the connection's event loop.
 *
 * <p>The exchange is a single state machine confined to one event loop, whose states all need each other: its state is
 * the fields of this class, and its steps are split along the exchange's phases. This class holds request intake (the
 * client's events, route match and protections, the request body, client reads and timeouts) and ending exchanges;
 * {@link PolicyStage} the policy chain and its decision; {@link UpstreamExchange} the way upstream (transformation,
 * cache lookup, mirror, attempts, retries, timeouts); {@link ResponseRelay} the way back; {@link WebSocketTunnel} the
 * raw-byte splice after a WebSocket upgrade. Parts with state of their own live beside them: the wait for a next request
 * head ({@link HeadWait}), timeouts ({@link LoopTimer}), the shadow copy ({@link RequestMirror}), the response being
 * stored in the cache ({@link CacheFill}) and a JSON response held for its transformation ({@link JsonResponseBuffer}).
 *
 * <p>Bodies stream chunk by chunk. Backpressure: the client is read only while the upstream is writable, the upstream
 * only while the client is writable. Upstream connections come from the same loop's {@link EndpointPool}.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements HeadWait.Owner {

    /** At most this much of a refused request body is read and discarded before the connection is closed anyway. */
    static final long LINGER_MAX_BYTES = 4L * 1024 * 1024;
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Our words for a framing error Netty's decoder words ungrammatically (RFC 9112 section 6.3). */
    static final String AMBIGUOUS_LENGTH = "The request has both Content-Length and Transfer-Encoding, so its length is ambiguous "
            + "(RFC 9112 section 6.3); send only one of them.";

    final DataPath dataPath;
    /** The config generation of the last exchange and its pools on this connection's loop. */
    Generation generation;
    LoopResources loop;
    final ProxyStats stats;
    /** Whether the client connected over TLS (sets X-Forwarded-Proto; redirect_to_https routes are served). */
    final boolean secure;
    Channel ch;
    String clientIp = "unknown";
    /** {@link #clientIp} as the X-Forwarded-For bytes, made once per connection. */
    AsciiString clientIpValue = AsciiString.cached("unknown");
    InetAddress clientAddress;

    /** Pipelined messages that arrived while an earlier exchange was still being answered. */
    final ArrayDeque<Object> pipelined = new ArrayDeque<>(2);
    /** Request body chunks that arrived before an upstream connection was ready. */
    final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>(2);
    boolean closing;

    // The current exchange. `exchange` increases per request so late callbacks of an earlier one are recognised.
    int exchange;
    boolean inExchange;
    HttpRequest head;
    String target;
    String requestId;
    Route route;
    boolean http11Client;
    boolean keepAlive;
    boolean bodyless;
    boolean requestComplete;
    boolean rejected;
    boolean responseStarted;
    boolean skippingInformational;
    boolean upstreamKeepAlive;
    boolean lastSentUpstream;
    /** Request body bytes went to an upstream connection: the request can no longer be replayed on another. */
    boolean bodySentUpstream;
    boolean upstreamFlushPending;
    /** Response bytes were written to the client since its last flush (the end of an upstream read flushes them). */
    boolean clientFlushPending;
    EndpointPool pool;
    Channel upstream;
    UpstreamHandler upstreamHandler;
    /** The current attempt's response timeout; {@link #timeoutTicket} is the attempt it was set for. */
    LoopTimer responseTimer;
    int timeoutTicket;
    // Resilience of the current exchange: the library's per-request bookkeeping, and the attempt in progress.
    UpstreamCall call;
    boolean attemptActive;
    /** Identifies the attempt that pool callbacks belong to (late callbacks of an earlier attempt are ignored). */
    int attemptTicket;
    /** When the response timeout of the whole exchange ends (set once the request is complete), 0 before. */
    long deadlineNanos;
    /** Headers the policies (rate-limit state) and CORS add to this exchange's response. */
    List<HttpHeader> responseHeaders = List.of();
    /** The last policy-added upstream header list seen on this connection, and its wire form. */
    List<HttpHeader> wireHeadersOf;
    AsciiString[] wireNames;
    CharSequence[] wireValues;
    List<HttpHeader> corsHeaders = List.of();
    boolean awaitingPolicy;
    /** After an edge reply that ends the connection: the rest of the request body is discarded, then the connection closes. */
    boolean closeAfterDrain;
    long drained;
    // Observation of the current exchange (metrics and access log).
    long startNanos;
    long upstreamSentNanos;
    long upstreamNanos;
    int status;
    long bytesOut;
    String consumer;
    Identity identity;
    /** The cluster serving this exchange (the route's, or the one its weighted split chose). */
    Cluster cluster;
    // Response cache of the current exchange: the lookup's miss (null when the route does not cache or the request
    // bypasses it), its context, and the body being collected for a response the cache will store.
    CacheLookup.Miss cacheMiss;
    PolicyContext cacheContext;
    CacheFill cacheFill;
    /** The upstream Host the route's transformation chose (null: the endpoint's authority). */
    String upstreamHost;
    /** A JSON response held back while the route's body transformation collects it (null otherwise). */
    JsonResponseBuffer jsonBuffer;
    /** A JSON response too large to hold, transformed while it streams (null otherwise). */
    JsonFilter.Stream jsonStream;
    /** The copy of the request for the route's shadow cluster (null when the exchange is not mirrored). */
    RequestMirror mirror;
    String traceparent;
    /** The exchange's trace in the lines logged while its events are handled (entered around each one). */
    final ExchangeLogs logs = new ExchangeLogs();
    /** This exchange's spans when tracing is on (null otherwise, or before it is known). */
    io.atrium.edge.observe.EdgeTracing.Exchange spans;
    String protocol;
    long maxBody;
    long bodyBytesSeen;
    // Client timeouts (limits.*). HTTP/1.1 only: the raw-byte observer before the decoder, and the wait for a next head.
    ReadActivity activity;
    HeadWait headWait;
    LoopTimer bodyTimer;
    /** limits.response_write_timeout: a client that takes no response bytes for that long is disconnected. */
    WriteStall writeStall;
    long lastBodyReadNanos;
    // WebSocket pass-through: the request asks for it on a route that allows it; after the upstream's 101 the two
    // connections are spliced as raw bytes (tunnel), client bytes arriving while the codecs are removed wait in tunnelPending.
    boolean wsRequested;
    boolean tunnel;
    ArrayDeque<ByteBuf> tunnelPending;

    // The exchange's phases (their state is the fields above; everything runs on this connection's loop).
    final PolicyStage policyStage = new PolicyStage(this);
    final UpstreamExchange upstreamSide = new UpstreamExchange(this);
    final ResponseRelay relay = new ResponseRelay(this);
    final WebSocketTunnel tunnelSide = new WebSocketTunnel(this);

    ClientConnection(DataPath dataPath, boolean secure) {
        this.secure = secure;
        this.dataPath = dataPath;
        this.stats = dataPath.stats();
    }

    // ---------------------------------------------------------------- callbacks of the pool and the upstream connection

    /** Called by the pool when a connection is ready; false when this attempt no longer wants one. */
    boolean upstreamReady(int ticket, Channel ready, boolean reused) {
        logs.enter();
        try {
            return upstreamSide.upstreamReady(ticket, ready, reused);
        } finally {
            logs.exit();
        }
    }

    /** Whether the attempt {@code ticket} still waits for a connection from its pool. */
    boolean isWaitingForUpstream(int ticket) {
        return upstreamSide.isWaitingForUpstream(ticket);
    }

    void upstreamFailed(int ticket, Throwable cause) {
        logs.enter();
        try {
            upstreamSide.upstreamFailed(ticket, cause);
        } finally {
            logs.exit();
        }
    }

    void onUpstreamMessage(Object msg) {
        logs.enter();
        try {
            relay.onUpstreamMessage(msg);
        } finally {
            logs.exit();
        }
    }

    void onUpstreamReadComplete() {
        relay.onUpstreamReadComplete();
    }

    void onUpstreamWritabilityChanged() {
        relay.onUpstreamWritabilityChanged();
    }

    /** The upstream connection closed or failed while this exchange owned it. */
    void onUpstreamLost(Throwable cause) {
        logs.enter();
        try {
            upstreamSide.onUpstreamLost(cause);
        } finally {
            logs.exit();
        }
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

    void bind(Channel channel) {
        boolean first = ch == null;
        ch = channel;
        if (first) {
            responseTimer = new LoopTimer(channel.eventLoop(), upstreamSide::onTimeoutEvent);
            bodyTimer = new LoopTimer(channel.eventLoop(), this::onBodyTimer);
            writeStall = new WriteStall(channel, dataPath.timeouts().responseWrite());
        }
        if (first && !(channel instanceof Http2StreamChannel)) {
            activity = channel.pipeline().get(ReadActivity.class);
            if (activity != null) {
                headWait = new HeadWait(channel, activity, dataPath.timeouts(), this);
                headWait.startFresh();
            }
        }
        SocketAddress remote = ch.remoteAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            clientAddress = inet.getAddress();
            clientIp = clientAddress.getHostAddress();
            clientIpValue = new AsciiString(clientIp);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent || evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
            // The connection now speaks HTTP/2: each stream has its own ClientConnection; this one has nothing left to do.
            cancelTimers();
            if (activity != null) {
                ctx.pipeline().remove(activity);
                activity = null;
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        logs.enter();
        try {
            read(msg);
        } finally {
            logs.exit();
        }
    }

    private void read(Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnel) {
            tunnelSide.relayToUpstream(msg);
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
        upstreamSide.flushUpstream();
        if (headWait != null) {
            headWait.readComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writeStall.writabilityChanged();
        if (upstream != null && responseStarted) {
            upstream.config().setAutoRead(ch.isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        cancelTimers();
        if (inExchange) {
            logs.enter();
            try {
                upstreamSide.abortUpstream();
                finishExchangeState();
            } finally {
                logs.exit();
            }
        }
        releaseAll(pipelined);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are routine for a proxy; the connection's state is cleaned up in channelInactive.
        closing = true;
        ctx.close();
    }

    void handle(Object msg) {
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

    // ---------------------------------------------------------------- request intake

    void startExchange(HttpRequest request) {
        stopWaiting();
        exchange++;
        inExchange = true;
        wsRequested = false;
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
        bodySentUpstream = false;
        attemptActive = false;
        deadlineNanos = 0;
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
        identity = null;
        cluster = null;
        cacheMiss = null;
        cacheContext = null;
        cacheFill = null;
        traceparent = null;
        spans = null;
        logs.trace(TraceParent.traceIdOf(request.headers().get(TraceContext.TRACEPARENT)), null);
        upstreamHost = null;
        protocol = ch instanceof Http2StreamChannel ? "HTTP/2" : request.protocolVersion().text();
        maxBody = Long.MAX_VALUE;
        bodyBytesSeen = 0;
        lastBodyReadNanos = startNanos;
        bodyTimer.setAt(startNanos + dataPath.timeouts().requestBody().toNanos());

        if (request.decoderResult().isFailure()) {
            target = null; // the decoder's placeholder, not what the client sent
            rejectUnparseable(request.decoderResult().cause());
            return;
        }
        String framingProblem = RequestFraming.problem(request, ch instanceof Http2StreamChannel);
        if (framingProblem != null) {
            replyAndClose(ProblemTypes.BAD_REQUEST, framingProblem);
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
        route = current.routes().resolve(target, request.headers());
        if (route == null) {
            reply(ProblemTypes.ROUTE_NOT_FOUND, "No route matches path " + ProblemResponses.pathOf(target) + ".", !bodyless);
            return;
        }
        // RFC 6455 over HTTP/1.1 only; elsewhere (and on other routes) the upgrade headers are dropped as hop-by-hop.
        wsRequested = route.websocket() && !(ch instanceof Http2StreamChannel) && HttpMethod.GET.equals(request.method())
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        Protection protection = route.protection();
        if (!secure && protection.redirectToHttps()) {
            policyStage.redirectToHttps(request);
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
        if (route.cors() != null && policyStage.answeredCors(request)) {
            return;
        }
        policyStage.run(request);
    }

    void rejectUnparseable(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            replyAndClose(ProblemTypes.REQUEST_HEADERS_TOO_LARGE, "The request headers exceed " + dataPath.maxHeaderSize() + " bytes.");
        } else if (cause instanceof TooLongHttpLineException) {
            replyAndClose(ProblemTypes.URI_TOO_LONG, "The request line exceeds " + DataPath.MAX_INITIAL_LINE + " bytes.");
        } else if (cause instanceof ContentLengthNotAllowedException) {
            replyAndClose(ProblemTypes.BAD_REQUEST, AMBIGUOUS_LENGTH);
        } else {
            replyAndClose(ProblemTypes.BAD_REQUEST, "The request could not be parsed: " + reason(cause));
        }
    }

    void onRequestContent(HttpContent content) {
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
        lastBodyReadNanos = System.nanoTime();
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
            if (!responseStarted && attemptActive) {
                upstreamSide.startTimeout();
            }
        }
        if (mirror != null && mirror.collecting()) {
            mirror.collect(content, last);
        }
        if (upstream == null) {
            pendingBody.addLast(content);
        } else {
            upstreamSide.writeUpstream(content);
            upstreamFlushPending = true;
        }
        updateClientRead();
    }

    /**
     * Whether to read the client. While a request body streams: only when the upstream can take it. Once the request is
     * complete: keep reading (so a client that goes away is noticed and its upstream exchange cancelled) until a
     * pipelined message arrives; those wait, unread beyond one socket read, until the response is done. Ordinary
     * clients therefore never toggle the read interest, which would cost system calls on every request.
     */
    void updateClientRead() {
        boolean read;
        if (tunnel) {
            read = !closing && upstream != null && upstream.isWritable();
        } else if (closing) {
            read = false;
        } else if (!inExchange || requestComplete) {
            read = pipelined.isEmpty();
        } else {
            read = rejected || (upstream != null && upstream.isWritable());
        }
        if (ch.config().isAutoRead() != read) {
            ch.config().setAutoRead(read);
            if (read) {
                // A pause under backpressure is the edge's doing, not the client's: the body timeout starts over.
                lastBodyReadNanos = System.nanoTime();
            }
        }
    }

    // ---------------------------------------------------------------- ending exchanges

    /**
     * Answers the current exchange with a problem document generated by the edge. With {@code close}, the connection
     * is closed after the response, once the rest of the request body has been read and discarded (bounded by
     * {@link #LINGER_MAX_BYTES} and {@link #LINGER_NANOS}): closing with unread data would reset the connection and
     * could destroy the response before the client reads it.
     */
    void reply(ProblemType type, String detail, boolean close) {
        boolean closeAfter = close || !keepAlive;
        Problem problem = Problem.of(type, detail, ProblemResponses.pathOf(target), requestId);
        send(ProblemResponses.problem(problem, List.of(), corsHeaders, requestId, closeAfter, http11Client), close);
    }

    /** Answers and closes at once: the request could not be parsed, so the rest of its bytes cannot be delimited. */
    void replyAndClose(ProblemType type, String detail) {
        requestComplete = true;
        reply(type, detail, true);
    }

    /** Answers the current exchange with a response generated by the edge ({@code response} must match {@code close}). */
    void send(FullHttpResponse response, boolean close) {
        upstreamSide.cancelTimeout();
        upstreamSide.abortUpstream();
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

    void endExchange() {
        finishExchangeState();
        Object next;
        while (!closing && !(inExchange && requestComplete) && (next = pipelined.pollFirst()) != null) {
            handle(next);
        }
        upstreamSide.flushUpstream();
        updateClientRead();
        if (!closing && !inExchange && headWait != null) {
            headWait.startIdle();
        }
    }

    void finishExchangeState() {
        if (!inExchange) {
            return;
        }
        upstreamSide.cancelTimeout();
        cancelBodyTimer();
        releaseAll(pendingBody);
        if (call != null) {
            call.finish();
            call = null;
        }
        if (mirror != null) {
            mirror.drop();
            mirror = null;
        }
        cacheFill = null;
        cacheMiss = null;
        cacheContext = null;
        if (jsonBuffer != null) {
            jsonBuffer.release();
            jsonBuffer = null;
        }
        jsonStream = null;
        attemptActive = false;
        ExchangeRecord.observe(this);
        logs.trace(null, null);
        inExchange = false;
        head = null;
        route = null;
        pool = null;
        dataPath.exchangeEnded();
    }

    // ---------------------------------------------------------------- client timeouts

    void stopWaiting() {
        if (headWait != null) {
            headWait.stop();
        }
    }

    /** The connection goes away (or leaves this handler): pending timer tasks must not keep it reachable. */
    void cancelTimers() {
        if (headWait != null) {
            headWait.cancel();
        }
        responseTimer.cancel();
        bodyTimer.cancel();
        writeStall.cancel();
    }

    @Override
    public boolean busy() {
        return inExchange || closing;
    }

    @Override
    public void idleTimedOut() {
        closing = true;
        ch.close();
    }

    /** Slowloris: no complete head in time. Nothing of a response is under way, so the client can be told (408). */
    @Override
    public void headerTimedOut() {
        closing = true;
        ch.writeAndFlush(ProblemResponses.problem(ProblemTypes.REQUEST_TIMEOUT, "No complete request head was received within "
                        + dataPath.timeouts().requestHeader().toMillis() + " ms.", null, RequestIds.generate(), true, true))
                .addListener(ChannelFutureListener.CLOSE);
        dataPath.noRouteMeters().exchange(ProblemTypes.REQUEST_TIMEOUT.status(), 0);
    }

    void cancelBodyTimer() {
        bodyTimer.clear();
    }

    /** The request body stalled: 408 while nothing of the response went out, else the connection is closed. */
    void onBodyTimer() {
        if (!inExchange || requestComplete || rejected || closing) {
            return;
        }
        long timeoutNanos = dataPath.timeouts().requestBody().toNanos();
        long now = System.nanoTime();
        if (!ch.config().isAutoRead()) {
            // Not reading (backpressure or a policy decision pending): the client cannot be blamed for silence.
            lastBodyReadNanos = now;
        }
        long left = lastBodyReadNanos + timeoutNanos - now;
        if (left > 0) {
            bodyTimer.setAt(now + left);
            return;
        }
        if (responseStarted) {
            closeClient();
            return;
        }
        requestComplete = true;
        reply(ProblemTypes.REQUEST_TIMEOUT, "The request body stalled for more than " + dataPath.timeouts().requestBody().toMillis() + " ms.", true);
    }

    void closeClient() {
        closing = true;
        finishExchangeState();
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    static void releaseAll(ArrayDeque<?> messages) {
        Object msg;
        while ((msg = messages.pollFirst()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
