package io.atrium.edge.proxy.internal;

import io.atrium.edge.config.Protection;
import io.atrium.edge.proxy.Cluster;
import io.atrium.edge.proxy.CredentialRemoval;
import io.atrium.edge.proxy.CorsRule;
import io.atrium.edge.proxy.ProxyStats;
import io.atrium.edge.proxy.Route;
import io.atrium.edge.proxy.TrafficPlan;
import io.atrium.edge.proxy.transform.RouteTransform;
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
import io.atrium.policy.cache.CacheLookup;
import io.atrium.policy.cache.CachedResponse;
import io.atrium.policy.cache.ResponseCache;
import io.atrium.policy.resilience.AttemptOutcome;
import io.atrium.policy.resilience.CircuitBreaker;
import io.atrium.policy.resilience.ClusterEndpoint;
import io.atrium.policy.resilience.RetryDecision;
import io.atrium.policy.resilience.Selection;
import io.atrium.policy.resilience.UpstreamCall;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.channel.ChannelHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
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
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and the exchange (request plus response) in progress on it. Exchanges run one at a time:
 * pipelined requests wait until the previous response is complete. Everything runs on the connection's event loop.
 *
 * <p>The exchange itself is one class on purpose (it is longer than our usual files): a single state machine confined
 * to one event loop, whose states all need each other. Parts with state of their own live beside it: the wait for a
 * next request head ({@link HeadWait}), timeouts ({@link LoopTimer}), the shadow copy ({@link RequestMirror}) and the
 * response being stored in the cache ({@link CacheFill}).
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
    /** A client too slow to send its request head or body (not in the shared catalogue: only the edge reads clients). */

    private final DataPath dataPath;
    /** The config generation of the last exchange and its pools on this connection's loop. */
    private Generation generation;
    private LoopResources loop;
    private final ProxyStats stats;
    /** Whether the client connected over TLS (sets X-Forwarded-Proto; redirect_to_https routes are served). */
    private final boolean secure;
    private Channel ch;
    private String clientIp = "unknown";
    /** {@link #clientIp} as the X-Forwarded-For bytes, made once per connection. */
    private AsciiString clientIpValue = AsciiString.cached("unknown");
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
    /** Request body bytes went to an upstream connection: the request can no longer be replayed on another. */
    private boolean bodySentUpstream;
    private boolean upstreamFlushPending;
    /** Response bytes were written to the client since its last flush (the end of an upstream read flushes them). */
    private boolean clientFlushPending;
    private EndpointPool pool;
    private Channel upstream;
    private UpstreamHandler upstreamHandler;
    /** The current attempt's response timeout; {@link #timeoutTicket} is the attempt it was set for. */
    private LoopTimer responseTimer;
    private int timeoutTicket;
    // Resilience of the current exchange: the library's per-request bookkeeping, and the attempt in progress.
    private UpstreamCall call;
    private boolean attemptActive;
    /** Identifies the attempt that pool callbacks belong to (late callbacks of an earlier attempt are ignored). */
    private int attemptTicket;
    /** When the response timeout of the whole exchange ends (set once the request is complete), 0 before. */
    private long deadlineNanos;
    /** Headers the policies (rate-limit state) and CORS add to this exchange's response. */
    private List<HttpHeader> responseHeaders = List.of();
    /** The last policy-added upstream header list seen on this connection, and its wire form. */
    private List<HttpHeader> wireHeadersOf;
    private AsciiString[] wireNames;
    private CharSequence[] wireValues;
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
    private Identity identity;
    /** The cluster serving this exchange (the route's, or the one its weighted split chose). */
    private Cluster cluster;
    // Response cache of the current exchange: the lookup's miss (null when the route does not cache or the request
    // bypasses it), its context, and the body being collected for a response the cache will store.
    private CacheLookup.Miss cacheMiss;
    private PolicyContext cacheContext;
    private CacheFill cacheFill;
    /** The upstream Host the route's transformation chose (null: the endpoint's authority). */
    private String upstreamHost;
    /** A JSON response held back while the route's body transformation collects it (null otherwise). */
    private JsonResponseBuffer jsonBuffer;
    /** The copy of the request for the route's shadow cluster (null when the exchange is not mirrored). */
    private RequestMirror mirror;
    private String traceparent;
    private String protocol;
    private long maxBody;
    private long bodyBytesSeen;
    // Client timeouts (limits.*). HTTP/1.1 only: the raw-byte observer before the decoder, and the wait for a next head.
    private ReadActivity activity;
    private HeadWait headWait;
    private LoopTimer bodyTimer;
    private long lastBodyReadNanos;
    // WebSocket pass-through: the request asks for it on a route that allows it; after the upstream's 101 the two
    // connections are spliced as raw bytes (tunnel), client bytes arriving while the codecs are removed wait in tunnelPending.
    private boolean wsRequested;
    private boolean tunnel;
    private ArrayDeque<ByteBuf> tunnelPending;

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
        boolean first = ch == null;
        ch = channel;
        if (first) {
            responseTimer = new LoopTimer(channel.eventLoop(), this::onTimeout);
            bodyTimer = new LoopTimer(channel.eventLoop(), this::onBodyTimer);
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
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnel) {
            relayToUpstream(msg);
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
        if (headWait != null) {
            headWait.readComplete();
        }
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
        cancelTimers();
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
        } else if (cause instanceof ContentLengthNotAllowedException) {
            replyAndClose(ProblemTypes.BAD_REQUEST, AMBIGUOUS_LENGTH);
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
        List<HttpHeader> upstreamHeaders = cont.upstreamHeaders();
        if (!upstreamHeaders.isEmpty()) {
            if (upstreamHeaders != wireHeadersOf) {
                // Identity headers come as one cached list per identity: on a keep-alive connection the same client
                // sends the same token, so their wire form (names and the assertion as bytes) is made once.
                wireNames = new AsciiString[upstreamHeaders.size()];
                wireValues = new CharSequence[upstreamHeaders.size()];
                for (int i = 0; i < wireNames.length; i++) {
                    wireNames[i] = ProxyHeaders.wireName(upstreamHeaders.get(i).name());
                    wireValues[i] = ProxyHeaders.wireValue(upstreamHeaders.get(i).value());
                }
                wireHeadersOf = upstreamHeaders;
            }
            HttpHeaders headers = head.headers();
            for (int i = 0; i < wireNames.length; i++) {
                headers.set(wireNames[i], wireValues[i]);
            }
        }
        responseHeaders = cont.responseHeaders();
        identity = cont.identity();
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
        TrafficPlan traffic = route.traffic();
        ResponseCache cache = traffic.cache();
        if (cache != null && !wsRequested && lookupCache(cache)) {
            return;
        }
        cluster = traffic.pick(route.cluster());
        String upstreamTarget = route.upstreamTarget(target);
        CredentialRemoval credentials = route.credentials();
        if (credentials != null && identity != null) {
            removeCredentials(credentials);
            upstreamTarget = credentials.targetWithout(upstreamTarget, identity.method());
        }
        RouteTransform transform = route.transform();
        if (transform != null && transform.editsRequest()) {
            RouteTransform.RequestResult edited = transform.applyToRequest(request.headers(), target, upstreamTarget, identity, requestId);
            upstreamTarget = edited.target();
            upstreamHost = edited.host();
        }
        ProxyHeaders.toUpstream(request.headers(), clientIpValue, requestId, secure);
        if (wsRequested) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
        traceparent = TraceContext.next(request.headers().get(TraceContext.TRACEPARENT));
        request.headers().set(TraceContext.TRACEPARENT, traceparent);
        request.setUri(upstreamTarget);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (traffic.mirror() != null && !wsRequested) {
            startMirror(traffic);
        }
        call = cluster.resilience().newCall(request.method().name());
        startAttempt();
    }

    /**
     * Credentials stay at the edge: the verified one is removed before the request is forwarded (and mirrored). The
     * cache still judges the response by the request as the client sent it (RFC 9111's rule for {@code Authorization},
     * {@code Vary}), so it keeps a copy of those headers.
     */
    private void removeCredentials(CredentialRemoval credentials) {
        if (cacheContext != null) {
            HttpRequest asSent = new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(), head.headers().copy());
            cacheContext = new PolicyContext(new NettyPolicyRequest(asSent, target, clientAddress, route.name()), identity, requestId);
        }
        credentials.removeFrom(head.headers(), identity.method());
    }

    /** Asks the route's cache: true when a fresh response was served from it. */
    private boolean lookupCache(ResponseCache cache) {
        PolicyContext context = new PolicyContext(new NettyPolicyRequest(head, target, clientAddress, route.name()), identity, requestId);
        CacheLookup lookup = cache.lookup(context);
        if (lookup instanceof CacheLookup.Hit hit) {
            serveCached(hit.response(), hit.addedHeaders());
            return true;
        }
        if (lookup instanceof CacheLookup.Miss miss) {
            cacheMiss = miss;
            cacheContext = context;
        }
        return false;
    }

    /** Answers from the cache (a fresh hit, or a stale response because the upstream failed). */
    private void serveCached(CachedResponse cached, List<HttpHeader> added) {
        boolean close = !bodyless || !keepAlive;
        boolean head = HttpMethod.HEAD.equals(this.head.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(cached.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(cached.body()));
        HttpHeaders headers = response.headers();
        for (HttpHeader header : cached.headers()) {
            headers.add(header.name(), header.value());
        }
        ProxyHeaders.toClient(headers, requestId);
        RouteTransform transform = route.transform();
        if (transform != null && transform.editsResponseHeaders()) {
            transform.applyToResponse(headers, identity, requestId);
        }
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, cached.bodyLength());
        addAll(headers, added);
        addAll(headers, responseHeaders);
        addAll(headers, corsHeaders);
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!http11Client) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        send(response, !bodyless);
    }

    /** Serves the stale response of a cache miss instead of an upstream failure; false when there is none. */
    private boolean servedStale(int status) {
        if (cacheMiss == null) {
            return false;
        }
        ResponseCache cache = route.traffic().cache();
        CachedResponse stale = cache.staleOnError(cacheMiss, status);
        if (stale == null) {
            return false;
        }
        cacheMiss = null;
        serveCached(stale, cache.staleHeaders(stale));
        return true;
    }

    private void startMirror(TrafficPlan traffic) {
        mirror = RequestMirror.of(head, bodyless, traffic.mirrorMaxBody(), traffic.mirror(), loop.mirrors(), ch.alloc());
        if (mirror == null) {
            return;
        }
        for (HttpContent pending : pendingBody) {
            mirror.collect(pending, pending instanceof LastHttpContent);
        }
        if (requestComplete) {
            mirror.send();
        }
    }

    /**
     * Starts an attempt: the circuit breaker admits it (or the exchange is answered 503) and the load balancer picks an
     * available endpoint (another one than the previous attempt's when possible); the request goes to that endpoint's
     * pool on this loop.
     */
    private void startAttempt() {
        Selection selection = call.nextAttempt();
        if (selection instanceof Selection.CircuitOpen open) {
            if (servedStale(503)) {
                return;
            }
            Decision.Reply reply = CircuitBreaker.reply(open.retryAfterSeconds(), ProblemResponses.pathOf(target), requestId);
            send(ProblemResponses.problem(reply.problem(), reply.headers(), corsHeaders, requestId, !requestComplete || !keepAlive, http11Client),
                    !requestComplete);
            return;
        }
        ClusterEndpoint endpoint = ((Selection.Selected) selection).endpoint();
        attemptActive = true;
        int ticket = ++attemptTicket;
        pool = loop.pool(cluster, endpoint.index());
        head.headers().set(HttpHeaderNames.HOST, upstreamHost != null ? upstreamHost : pool.authority());
        if (requestComplete) {
            startTimeout();
        }
        Channel ready = pool.acquire(this, ticket);
        if (ready != null) {
            attach(ready);
        } else if (attemptActive && ticket == attemptTicket) {
            updateClientRead();
        }
    }

    /**
     * The current attempt failed before a response head: the library records it (outlier detection, circuit breaker) and
     * decides on a retry, which goes ahead only when the request can be replayed (no body bytes were sent yet) and the
     * exchange's response timeout has not passed; otherwise the client gets {@code type}.
     */
    private void attemptFailed(AttemptOutcome.Failure failure, ProblemType type, String detail) {
        cancelTimeout();
        attemptActive = false;
        RetryDecision decision = call.attemptFinished(failure);
        if (decision instanceof RetryDecision.Retry retry && mayRetry()) {
            scheduleRetry(retry.delayNanos());
            return;
        }
        if (!servedStale(0)) {
            reply(type, detail, !requestComplete);
        }
    }

    private boolean mayRetry() {
        return !bodySentUpstream && !responseStarted && !closing && (deadlineNanos == 0 || System.nanoTime() < deadlineNanos);
    }

    private void scheduleRetry(long delayNanos) {
        int forExchange = exchange;
        lastSentUpstream = false;
        Runnable next = () -> {
            if (forExchange == exchange && inExchange && !responseStarted && !closing && call != null && !attemptActive) {
                startAttempt();
            }
        };
        if (delayNanos <= 0) {
            ch.eventLoop().execute(next);
        } else {
            ch.eventLoop().schedule(next, delayNanos, TimeUnit.NANOSECONDS);
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
                startTimeout();
            }
        }
        if (mirror != null && mirror.collecting()) {
            mirror.collect(content, last);
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
        bodySentUpstream = true;
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

    // ---------------------------------------------------------------- upstream connection lifecycle

    /** Called by the pool when a connection is ready; false when this attempt no longer wants one. */
    boolean upstreamReady(int ticket, Channel ready, boolean reused) {
        if (!isWaitingForUpstream(ticket)) {
            return false;
        }
        attach(ready);
        return true;
    }

    /** Whether the attempt {@code ticket} still waits for a connection from its pool. */
    boolean isWaitingForUpstream(int ticket) {
        return ticket == attemptTicket && attemptActive && inExchange && upstream == null && !responseStarted && !closing;
    }

    void upstreamFailed(int ticket, Throwable cause) {
        if (!isWaitingForUpstream(ticket)) {
            return;
        }
        attemptFailed(AttemptOutcome.Failure.CONNECT_FAILED, ProblemTypes.UPSTREAM_UNAVAILABLE, "Could not connect to upstream "
                + pool.describe() + " of route " + route.name() + ": " + reason(cause));
    }

    private void attach(Channel ready) {
        upstreamSentNanos = System.nanoTime();
        upstream = ready;
        upstreamHandler = (UpstreamHandler) ready.pipeline().last();
        upstreamHandler.owner(this);
        ProxyHeaders.compactLongValues(head.headers());
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
        if (tunnel) {
            relayToClient(msg);
            return;
        }
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
        if (status == 101 && wsRequested && response.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            switchToTunnel(response);
            return;
        }
        if (status < 200) {
            // Informational responses (100 Continue) are not forwarded: the edge answered Expect itself.
            skippingInformational = true;
            return;
        }
        cancelTimeout();
        upstreamNanos = System.nanoTime() - upstreamSentNanos;
        route.meters().upstream(upstreamNanos);
        attemptActive = false;
        if (call.attemptFinished(AttemptOutcome.response(status)) instanceof RetryDecision.Retry retry && mayRetry()) {
            // A retriable status (502/503/504 by default): the response is discarded with its connection, the request
            // goes again (preferably to another endpoint).
            abortUpstream();
            scheduleRetry(retry.delayNanos());
            return;
        }
        boolean caching = cacheMiss != null;
        if (caching) {
            if (status >= 500 && servedStale(status)) {
                return;
            }
            offerToCache(response, status);
        }
        call.responseStarted();
        this.status = status;
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        ProxyHeaders.toClient(response.headers(), requestId);
        RouteTransform transform = route.transform();
        if (transform != null && transform.editsResponseHeaders()) {
            transform.applyToResponse(response.headers(), identity, requestId);
        }
        if (caching) {
            response.headers().add(ResponseCache.X_CACHE, "MISS");
        }
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
        if (transform != null && mayHaveBody && transform.json() != null && heldForJson(response, transform)) {
            return;
        }
        ProxyHeaders.compactLongValues(response.headers());
        ch.write(response, ch.voidPromise());
        clientFlushPending = true;
    }

    /**
     * TRANSFORM on the response: a JSON body the route rewrites is held back and collected (true). One declared larger
     * than {@code max_body} passes unchanged (false) or, with {@code on_too_large: reject}, is answered 502 (true).
     */
    private boolean heldForJson(HttpResponse response, RouteTransform transform) {
        if (!JsonResponseBuffer.wants(response, transform.counters())) {
            return false;
        }
        if (HttpUtil.getContentLength(response, -1L) > transform.jsonMaxBody()) {
            return tooLargeToTransform(transform);
        }
        jsonBuffer = JsonResponseBuffer.hold(response, transform.jsonMaxBody(), transform.json(), ch.alloc());
        return true;
    }

    /** Counts a body too large to transform; false when it passes unchanged, true when the client got 502. */
    private boolean tooLargeToTransform(RouteTransform transform) {
        if (!transform.rejectTooLarge()) {
            transform.counters().bodyTooLargePassed.increment();
            return false;
        }
        transform.counters().bodyTooLargeRejected.increment();
        reply(ProblemTypes.UPSTREAM_RESPONSE_TOO_LARGE, "The response of route " + route.name() + " is larger than the "
                + transform.jsonMaxBody() + " bytes its JSON transformation may buffer.", !requestComplete);
        return true;
    }

    /** Collects a chunk of a held JSON response; at its end the rewritten response goes out. */
    private void collectJson(HttpContent content, boolean last) {
        JsonResponseBuffer held = jsonBuffer;
        RouteTransform transform = route.transform();
        if (!held.add(content)) {
            jsonBuffer = null;
            if (tooLargeToTransform(transform)) {
                held.release();
                return;
            }
            // Passed unchanged: what was collected goes out as it came, the rest streams.
            ByteBuf collected = held.takeBody();
            bytesOut += collected.readableBytes();
            ch.write(held.head(), ch.voidPromise());
            ch.write(last ? new DefaultLastHttpContent(collected) : new DefaultHttpContent(collected), ch.voidPromise());
            clientFlushPending = true;
            if (last) {
                completeResponse();
            } else if (!ch.isWritable()) {
                upstream.config().setAutoRead(false);
            }
            return;
        }
        if (!last) {
            return;
        }
        jsonBuffer = null;
        ByteBuf rewritten = held.transform(ch.alloc());
        ByteBuf body;
        if (rewritten == null) {
            transform.counters().bodyInvalid.increment();
            body = held.takeBody();
        } else {
            transform.counters().body.increment();
            held.release();
            body = rewritten;
        }
        bytesOut += body.readableBytes();
        ProxyHeaders.compactLongValues(held.head().headers());
        ch.write(held.head(), ch.voidPromise());
        ch.write(new DefaultLastHttpContent(body), ch.voidPromise());
        clientFlushPending = true;
        completeResponse();
    }

    /** Asks the route's cache whether to store this response; if so its body is collected while it streams. */
    private void offerToCache(HttpResponse response, int status) {
        long requestTimeMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upstreamSentNanos);
        cacheFill = CacheFill.offer(route.traffic().cache(), cacheMiss, cacheContext, response, status, requestTimeMillis);
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
        if (jsonBuffer != null) {
            collectJson(content, last);
            return;
        }
        if (cacheFill != null && (!cacheFill.collect(content, last) || last)) {
            cacheFill = null;
        }
        int bytes = content.content().readableBytes();
        bytesOut += bytes;
        clientFlushPending = true;
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
            clientFlushPending = false;
            ch.flush();
            endExchange();
        } else {
            closeClient();
        }
    }

    // ---------------------------------------------------------------- WebSocket tunnel

    /**
     * The upstream accepted the WebSocket upgrade: the 101 goes to the client, then both pipelines lose their HTTP
     * codecs and the connections carry raw bytes both ways until either closes. The upstream connection is never pooled
     * again. Backpressure as for bodies: each side is read only while the other is writable.
     */
    private void switchToTunnel(HttpResponse response) {
        cancelTimeout();
        cancelBodyTimer();
        upstreamNanos = System.nanoTime() - upstreamSentNanos;
        route.meters().upstream(upstreamNanos);
        attemptActive = false;
        call.attemptFinished(AttemptOutcome.response(101));
        call.responseStarted();
        status = 101;
        responseStarted = true;
        keepAlive = false;
        tunnel = true;
        tunnelPending = new ArrayDeque<>(2);
        releaseAll(pipelined);

        HttpHeaders headers = response.headers();
        ProxyHeaders.toClient(headers, requestId);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
        switching.headers().set(headers);
        ch.write(switching, ch.voidPromise());

        // Client side first (from the end: a removed decoder hands its unread bytes to what follows it, i.e. to us,
        // and they wait in tunnelPending); then the upstream's codec, whose unread bytes can go to the client at once.
        List<String> names = ch.pipeline().names();
        for (int i = names.size() - 1; i >= 0; i--) {
            ChannelHandler handler = ch.pipeline().get(names.get(i));
            if (handler != null && handler != this && !(handler instanceof SslHandler) && !(handler instanceof ReadActivity)) {
                ch.pipeline().remove(handler);
            }
        }
        Channel up = upstream;
        if (up != null && up.pipeline().get(HttpClientCodec.class) != null) {
            up.pipeline().remove(HttpClientCodec.class);
        }
        ByteBuf pending;
        while ((pending = tunnelPending.pollFirst()) != null) {
            writeTunnelUpstream(pending);
        }
        tunnelPending = null;
        ch.flush();
        flushUpstream();
        updateClientRead();
        if (upstream != null) {
            upstream.config().setAutoRead(ch.isWritable());
        }
    }

    private void relayToUpstream(Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnelPending != null) {
            tunnelPending.addLast(bytes);
            return;
        }
        if (upstream == null) {
            bytes.release();
            return;
        }
        writeTunnelUpstream(bytes);
        updateClientRead();
    }

    private void writeTunnelUpstream(ByteBuf bytes) {
        if (upstream == null) {
            bytes.release();
            return;
        }
        bodyBytesSeen += bytes.readableBytes();
        upstream.write(bytes, upstream.voidPromise());
        upstreamFlushPending = true;
    }

    private void relayToClient(Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            // The decoder's end marker of the 101, read before the codec was removed.
            ReferenceCountUtil.release(msg);
            return;
        }
        bytesOut += bytes.readableBytes();
        ch.write(bytes, ch.voidPromise());
        clientFlushPending = true;
        if (!ch.isWritable() && upstream != null) {
            upstream.config().setAutoRead(false);
        }
    }

    /** Flushes what this upstream read wrote to the client, unless the completed response was flushed already. */
    void onUpstreamReadComplete() {
        if (clientFlushPending) {
            clientFlushPending = false;
            ch.flush();
        }
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
        String why = cause == null ? "it closed the connection before responding" : reason(cause);
        // The request (or part of it) was written: only the library's rules for requests that may have arrived apply
        // (idempotent methods only), and a request whose body was sent cannot be replayed at all.
        attemptFailed(AttemptOutcome.Failure.RESET_BEFORE_RESPONSE, ProblemTypes.UPSTREAM_UNAVAILABLE,
                "Upstream " + pool.describe() + " of route " + route.name() + " failed: " + why + ".");
    }

    /**
     * Arms the current attempt's timer once the request is complete: the library's per-try timeout (what is left of the
     * retry total timeout without one), bounded by what is left of the cluster's response timeout for the exchange.
     */
    private void startTimeout() {
        long now = System.nanoTime();
        if (deadlineNanos == 0) {
            deadlineNanos = now + cluster.responseTimeoutNanos();
        }
        long wait = Math.max(0, Math.min(call.attemptTimeoutNanos(), deadlineNanos - now));
        timeoutTicket = attemptTicket;
        responseTimer.setAt(now + wait);
    }

    private void cancelTimeout() {
        responseTimer.clear();
    }

    private void onTimeout() {
        if (timeoutTicket != attemptTicket || !attemptActive || !inExchange || responseStarted || closing) {
            return;
        }
        abortUpstream();
        attemptFailed(AttemptOutcome.Failure.PER_TRY_TIMEOUT, ProblemTypes.UPSTREAM_TIMEOUT, "Upstream " + pool.describe()
                + " of route " + route.name() + " did not respond in time.");
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
        if (!closing && !inExchange && headWait != null) {
            headWait.startIdle();
        }
    }

    private void finishExchangeState() {
        if (!inExchange) {
            return;
        }
        cancelTimeout();
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
        attemptActive = false;
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

    // ---------------------------------------------------------------- client timeouts

    private void stopWaiting() {
        if (headWait != null) {
            headWait.stop();
        }
    }

    /** The connection goes away (or leaves this handler): pending timer tasks must not keep it reachable. */
    private void cancelTimers() {
        if (headWait != null) {
            headWait.cancel();
        }
        responseTimer.cancel();
        bodyTimer.cancel();
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

    private void cancelBodyTimer() {
        bodyTimer.clear();
    }

    /** The request body stalled: 408 while nothing of the response went out, else the connection is closed. */
    private void onBodyTimer() {
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

    private void closeClient() {
        closing = true;
        finishExchangeState();
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private static void addAll(HttpHeaders headers, List<HttpHeader> extra) {
        for (int i = 0; i < extra.size(); i++) {
            HttpHeader header = extra.get(i);
            headers.add(ProxyHeaders.wireName(header.name()), header.value());
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
