package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.CredentialRemoval;
import io.atrium.edge.proxy.TrafficPlan;
import io.atrium.edge.proxy.transform.RouteTransform;
import io.atrium.edge.observe.TraceContext;
import io.atrium.policy.Decision;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.PolicyContext;
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
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The upstream phase of a {@link ClientConnection}'s exchange: credential removal and request transformation, the
 * response cache lookup, mirroring, attempts (circuit breaker, endpoint choice, pool), retries and timeouts, writing the
 * request to the upstream connection, and losing it. State lives on the connection; this class holds the phase's steps.
 */
final class UpstreamExchange {

    private final ClientConnection c;

    UpstreamExchange(ClientConnection c) {
        this.c = c;
    }

    void forward() {
        HttpRequest request = c.head;
        if (HttpUtil.is100ContinueExpected(request)) {
            // Answered here rather than by the upstream: the body is streamed anyway and the upstream may be HTTP/1.0.
            c.ch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        TrafficPlan traffic = c.route.traffic();
        ResponseCache cache = traffic.cache();
        if (cache != null && !c.wsRequested && lookupCache(cache)) {
            return;
        }
        c.cluster = traffic.pick(c.route.cluster());
        String upstreamTarget = c.route.upstreamTarget(c.target);
        CredentialRemoval credentials = c.route.credentials();
        if (credentials != null && c.identity != null) {
            removeCredentials(credentials);
            upstreamTarget = credentials.targetWithout(upstreamTarget, c.identity.method());
        }
        RouteTransform transform = c.route.transform();
        if (transform != null && transform.editsRequest()) {
            RouteTransform.RequestResult edited = transform.applyToRequest(request.headers(), c.target, upstreamTarget, c.identity, c.requestId);
            upstreamTarget = edited.target();
            c.upstreamHost = edited.host();
        }
        ProxyHeaders.toUpstream(request.headers(), c.clientIpValue, c.requestId, c.secure);
        if (c.wsRequested) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
        io.atrium.edge.observe.EdgeTracing tracing = c.dataPath.tracing();
        if (tracing == null) {
            c.traceparent = TraceContext.next(request.headers().get(TraceContext.TRACEPARENT));
            request.headers().set(TraceContext.TRACEPARENT, c.traceparent);
        } else {
            c.spans = ExchangeRecord.startSpans(c, tracing);
            request.headers().remove(TraceContext.TRACEPARENT).remove("tracestate");
            c.spans.upstream(c.cluster.name(), request.headers()::set);
            c.traceparent = request.headers().get(TraceContext.TRACEPARENT);
        }
        c.logs.trace(TraceContext.traceId(c.traceparent), c.spans == null ? null : c.spans.spanId());
        request.setUri(upstreamTarget);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (traffic.mirror() != null && !c.wsRequested) {
            startMirror(traffic);
        }
        c.call = c.cluster.resilience().newCall(request.method().name());
        startAttempt();
    }

    /**
     * Credentials stay at the edge: the verified one is removed before the request is forwarded (and mirrored). The
     * cache still judges the response by the request as the client sent it (RFC 9111's rule for {@code Authorization},
     * {@code Vary}), so it keeps a copy of those headers.
     */
    void removeCredentials(CredentialRemoval credentials) {
        if (c.cacheContext != null) {
            HttpRequest asSent = new DefaultHttpRequest(c.head.protocolVersion(), c.head.method(), c.head.uri(), c.head.headers().copy());
            c.cacheContext = new PolicyContext(new NettyPolicyRequest(asSent, c.target, c.clientAddress, c.route.name()), c.identity, c.requestId);
        }
        credentials.removeFrom(c.head.headers(), c.identity.method());
    }

    /** Asks the route's cache: true when a fresh response was served from it. */
    boolean lookupCache(ResponseCache cache) {
        PolicyContext context = new PolicyContext(new NettyPolicyRequest(c.head, c.target, c.clientAddress, c.route.name()), c.identity, c.requestId);
        CacheLookup lookup = cache.lookup(context);
        if (lookup instanceof CacheLookup.Hit hit) {
            serveCached(hit.response(), hit.addedHeaders());
            return true;
        }
        if (lookup instanceof CacheLookup.Miss miss) {
            c.cacheMiss = miss;
            c.cacheContext = context;
        }
        return false;
    }

    /** Answers from the cache (a fresh hit, or a stale response because the upstream failed). */
    void serveCached(CachedResponse cached, List<HttpHeader> added) {
        boolean close = !c.bodyless || !c.keepAlive;
        boolean head = HttpMethod.HEAD.equals(c.head.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(cached.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(cached.body()));
        HttpHeaders headers = response.headers();
        for (HttpHeader header : cached.headers()) {
            headers.add(header.name(), header.value());
        }
        ProxyHeaders.toClient(headers, c.requestId);
        RouteTransform transform = c.route.transform();
        if (transform != null && transform.editsResponseHeaders()) {
            transform.applyToResponse(headers, c.identity, c.requestId);
        }
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, cached.bodyLength());
        ProxyHeaders.addAll(headers, added);
        ProxyHeaders.addAll(headers, c.responseHeaders);
        ProxyHeaders.addAll(headers, c.corsHeaders);
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!c.http11Client) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        c.send(response, !c.bodyless);
    }

    /** Serves the stale response of a cache miss instead of an upstream failure; false when there is none. */
    boolean servedStale(int status) {
        if (c.cacheMiss == null) {
            return false;
        }
        ResponseCache cache = c.route.traffic().cache();
        CachedResponse stale = cache.staleOnError(c.cacheMiss, status);
        if (stale == null) {
            return false;
        }
        c.cacheMiss = null;
        serveCached(stale, cache.staleHeaders(stale));
        return true;
    }

    void startMirror(TrafficPlan traffic) {
        c.mirror = RequestMirror.of(c.head, c.bodyless, traffic.mirrorMaxBody(), traffic.mirror(), c.loop.mirrors(), c.ch.alloc());
        if (c.mirror == null) {
            return;
        }
        for (HttpContent pending : c.pendingBody) {
            c.mirror.collect(pending, pending instanceof LastHttpContent);
        }
        if (c.requestComplete) {
            c.mirror.send();
        }
    }

    /**
     * Starts an attempt: the circuit breaker admits it (or the exchange is answered 503) and the load balancer picks an
     * available endpoint (another one than the previous attempt's when possible); the request goes to that endpoint's
     * pool on this loop.
     */
    void startAttempt() {
        Selection selection = c.call.nextAttempt();
        if (selection instanceof Selection.CircuitOpen open) {
            if (servedStale(503)) {
                return;
            }
            Decision.Reply reply = CircuitBreaker.reply(open.retryAfterSeconds(), ProblemResponses.pathOf(c.target), c.requestId);
            c.send(ProblemResponses.problem(reply.problem(), reply.headers(), c.corsHeaders, c.requestId, !c.requestComplete || !c.keepAlive, c.http11Client),
                    !c.requestComplete);
            return;
        }
        ClusterEndpoint endpoint = ((Selection.Selected) selection).endpoint();
        c.attemptActive = true;
        int ticket = ++c.attemptTicket;
        c.pool = c.loop.pool(c.cluster, endpoint.index());
        c.head.headers().set(HttpHeaderNames.HOST, c.upstreamHost != null ? c.upstreamHost : c.pool.authority());
        if (c.requestComplete) {
            startTimeout();
        }
        Channel ready = c.pool.acquire(c, ticket);
        if (ready != null) {
            attach(ready);
        } else if (c.attemptActive && ticket == c.attemptTicket) {
            c.updateClientRead();
        }
    }

    /**
     * The current attempt failed before a response head: the library records it (outlier detection, circuit breaker) and
     * decides on a retry, which goes ahead only when the request can be replayed (no body bytes were sent yet) and the
     * exchange's response timeout has not passed; otherwise the client gets {@code type}.
     */
    void attemptFailed(AttemptOutcome.Failure failure, ProblemType type, String detail) {
        cancelTimeout();
        c.attemptActive = false;
        RetryDecision decision = c.call.attemptFinished(failure);
        if (decision instanceof RetryDecision.Retry retry && mayRetry()) {
            scheduleRetry(retry.delayNanos());
            return;
        }
        if (!servedStale(0)) {
            c.reply(type, detail, !c.requestComplete);
        }
    }

    boolean mayRetry() {
        return !c.bodySentUpstream && !c.responseStarted && !c.closing && (c.deadlineNanos == 0 || System.nanoTime() < c.deadlineNanos);
    }

    void scheduleRetry(long delayNanos) {
        int forExchange = c.exchange;
        c.lastSentUpstream = false;
        Runnable next = () -> {
            if (forExchange == c.exchange && c.inExchange && !c.responseStarted && !c.closing && c.call != null && !c.attemptActive) {
                startAttempt();
            }
        };
        if (delayNanos <= 0) {
            c.ch.eventLoop().execute(next);
        } else {
            c.ch.eventLoop().schedule(next, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    void writeUpstream(HttpContent content) {
        if (content instanceof LastHttpContent) {
            c.lastSentUpstream = true;
        }
        int bytes = content.content().readableBytes();
        if (bytes == 0) {
            c.upstream.write(content, c.upstream.voidPromise());
            return;
        }
        c.bodySentUpstream = true;
        c.stats.bodyBytesAccepted(bytes);
        c.upstream.write(content).addListener(f -> c.stats.bodyBytesWritten(bytes));
    }

    void flushUpstream() {
        if (c.upstreamFlushPending && c.upstream != null) {
            c.upstreamFlushPending = false;
            c.upstream.flush();
        }
    }

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
        return ticket == c.attemptTicket && c.attemptActive && c.inExchange && c.upstream == null && !c.responseStarted && !c.closing;
    }

    void upstreamFailed(int ticket, Throwable cause) {
        if (!isWaitingForUpstream(ticket)) {
            return;
        }
        attemptFailed(AttemptOutcome.Failure.CONNECT_FAILED, ProblemTypes.UPSTREAM_UNAVAILABLE, "Could not connect to upstream "
                + c.pool.describe() + " of route " + c.route.name() + ": " + ClientConnection.reason(cause));
    }

    void attach(Channel ready) {
        c.upstreamSentNanos = System.nanoTime();
        c.upstream = ready;
        c.upstreamHandler = (UpstreamHandler) ready.pipeline().last();
        c.upstreamHandler.owner(c);
        ProxyHeaders.compactLongValues(c.head.headers());
        ready.write(c.head, ready.voidPromise());
        HttpContent chunk;
        while ((chunk = c.pendingBody.pollFirst()) != null) {
            writeUpstream(chunk);
        }
        if (c.requestComplete && !c.lastSentUpstream) {
            // A retried bodyless request: its end marker went to the connection that failed.
            writeUpstream(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        c.upstreamFlushPending = false;
        ready.flush();
        c.updateClientRead();
    }

    void detachUpstream() {
        c.upstreamHandler.owner(null);
        c.upstream.config().setAutoRead(true);
        c.upstream = null;
        c.upstreamHandler = null;
    }

    void abortUpstream() {
        if (c.upstream != null) {
            Channel broken = c.upstream;
            c.upstreamHandler.owner(null);
            c.upstream = null;
            c.upstreamHandler = null;
            broken.close();
        }
    }

    /** The upstream connection closed or failed while this exchange owned it. */
    void onUpstreamLost(Throwable cause) {
        Channel lost = c.upstream;
        if (lost == null) {
            return;
        }
        c.upstreamHandler.owner(null);
        c.upstream = null;
        c.upstreamHandler = null;
        lost.close();
        if (c.responseStarted) {
            // Part of the response is already on its way: the only honest signal left is closing the connection.
            c.closeClient();
            return;
        }
        String why = cause == null ? "it closed the connection before responding" : ClientConnection.reason(cause);
        // The request (or part of it) was written: only the library's rules for requests that may have arrived apply
        // (idempotent methods only), and a request whose body was sent cannot be replayed at all.
        attemptFailed(AttemptOutcome.Failure.RESET_BEFORE_RESPONSE, ProblemTypes.UPSTREAM_UNAVAILABLE,
                "Upstream " + c.pool.describe() + " of route " + c.route.name() + " failed: " + why + ".");
    }

    /**
     * Arms the current attempt's timer once the request is complete: the library's per-try timeout (what is left of the
     * retry total timeout without one), bounded by what is left of the cluster's response timeout for the exchange.
     */
    void startTimeout() {
        long now = System.nanoTime();
        if (c.deadlineNanos == 0) {
            c.deadlineNanos = now + c.cluster.responseTimeoutNanos();
        }
        long wait = Math.max(0, Math.min(c.call.attemptTimeoutNanos(), c.deadlineNanos - now));
        c.timeoutTicket = c.attemptTicket;
        c.responseTimer.setAt(now + wait);
    }

    void cancelTimeout() {
        c.responseTimer.clear();
    }

    /** The response timer fired: an event of its own on the loop, logged with the exchange's trace. */
    void onTimeoutEvent() {
        c.logs.enter();
        try {
            onTimeout();
        } finally {
            c.logs.exit();
        }
    }

    void onTimeout() {
        if (c.timeoutTicket != c.attemptTicket || !c.attemptActive || !c.inExchange || c.responseStarted || c.closing) {
            return;
        }
        abortUpstream();
        attemptFailed(AttemptOutcome.Failure.PER_TRY_TIMEOUT, ProblemTypes.UPSTREAM_TIMEOUT, "Upstream " + c.pool.describe()
                + " of route " + c.route.name() + " did not respond in time.");
    }
}
