package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.transform.RouteTransform;
import io.atrium.policy.error.ProblemTypes;
import io.atrium.policy.cache.ResponseCache;
import io.atrium.policy.resilience.AttemptOutcome;
import io.atrium.policy.resilience.RetryDecision;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * The response phase of a {@link ClientConnection}'s exchange: the upstream's head (retry on retriable statuses, cache
 * store, headers for the client, response transformation) and body relayed chunk by chunk with backpressure, JSON bodies
 * held back for their transformation, and handing the upstream connection back to its pool. State lives on the
 * connection; this class holds the phase's steps.
 */
final class ResponseRelay {

    private final ClientConnection c;

    ResponseRelay(ClientConnection c) {
        this.c = c;
    }

    void onUpstreamMessage(Object msg) {
        if (c.tunnel) {
            c.tunnelSide.relayToClient(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            onResponseHead(response);
            if (msg instanceof HttpContent content && c.upstream != null) {
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

    void onResponseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            c.upstreamSide.onUpstreamLost(response.decoderResult().cause());
            return;
        }
        int status = response.status().code();
        if (status == 101 && c.wsRequested && response.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            c.tunnelSide.switchToTunnel(response);
            return;
        }
        if (status < 200) {
            // Informational responses (100 Continue) are not forwarded: the edge answered Expect itself.
            c.skippingInformational = true;
            return;
        }
        c.upstreamSide.cancelTimeout();
        c.upstreamNanos = System.nanoTime() - c.upstreamSentNanos;
        c.route.meters().upstream(c.upstreamNanos);
        c.attemptActive = false;
        if (c.call.attemptFinished(AttemptOutcome.response(status)) instanceof RetryDecision.Retry retry && c.upstreamSide.mayRetry()) {
            // A retriable status (502/503/504 by default): the response is discarded with its connection, the request
            // goes again (preferably to another endpoint).
            c.upstreamSide.abortUpstream();
            c.upstreamSide.scheduleRetry(retry.delayNanos());
            return;
        }
        boolean caching = c.cacheMiss != null;
        if (caching) {
            if (status >= 500 && c.upstreamSide.servedStale(status)) {
                return;
            }
            offerToCache(response, status);
        }
        c.call.responseStarted();
        c.status = status;
        c.upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        ProxyHeaders.toClient(response.headers(), c.requestId);
        RouteTransform transform = c.route.transform();
        if (transform != null && transform.editsResponseHeaders()) {
            transform.applyToResponse(response.headers(), c.identity, c.requestId);
        }
        if (caching) {
            response.headers().add(ResponseCache.X_CACHE, "MISS");
        }
        ProxyHeaders.addAll(response.headers(), c.responseHeaders);
        ProxyHeaders.addAll(response.headers(), c.corsHeaders);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!c.requestComplete) {
            // The upstream answered before the request ended; the rest of the request cannot be delimited reliably.
            c.keepAlive = false;
        }
        boolean mayHaveBody = !HttpMethod.HEAD.equals(c.head.method()) && status != 204 && status != 304;
        if (mayHaveBody && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
            if (c.http11Client) {
                HttpUtil.setTransferEncodingChunked(response, true);
            } else {
                c.keepAlive = false;
            }
        }
        if (!c.keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!c.http11Client) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        c.responseStarted = true;
        if (transform != null && mayHaveBody && transform.json() != null && heldForJson(response, transform)) {
            return;
        }
        ProxyHeaders.compactLongValues(response.headers());
        c.ch.write(response, c.ch.voidPromise());
        c.clientFlushPending = true;
    }

    /**
     * TRANSFORM on the response: a JSON body the route rewrites is held back and collected (true). One declared larger
     * than {@code max_body} passes unchanged (false), is transformed while it streams ({@code on_too_large: stream};
     * false: its head goes out now) or is answered 502 ({@code on_too_large: reject}; true).
     */
    boolean heldForJson(HttpResponse response, RouteTransform transform) {
        if (!JsonResponseBuffer.wants(response, transform.counters())) {
            return false;
        }
        if (HttpUtil.getContentLength(response, -1L) > transform.jsonMaxBody()) {
            if (transform.streamTooLarge()) {
                startJsonStream(response, transform);
                return false;
            }
            return tooLargeToTransform(transform);
        }
        c.jsonBuffer = JsonResponseBuffer.hold(response, transform.jsonMaxBody(), transform.json(), c.ch.alloc());
        return true;
    }

    /** Counts a body too large to transform; false when it passes unchanged, true when the client got 502. */
    boolean tooLargeToTransform(RouteTransform transform) {
        if (!transform.rejectTooLarge()) {
            transform.counters().bodyTooLargePassed.increment();
            return false;
        }
        transform.counters().bodyTooLargeRejected.increment();
        c.reply(ProblemTypes.UPSTREAM_RESPONSE_TOO_LARGE, "The response of route " + c.route.name() + " is larger than the "
                + transform.jsonMaxBody() + " bytes its JSON transformation may buffer.", !c.requestComplete);
        return true;
    }

    /** Collects a chunk of a held JSON response; at its end the rewritten response goes out. */
    void collectJson(HttpContent content, boolean last) {
        JsonResponseBuffer held = c.jsonBuffer;
        RouteTransform transform = c.route.transform();
        if (!held.add(content)) {
            c.jsonBuffer = null;
            if (transform.streamTooLarge()) {
                // Too large to hold: what was collected and the rest are transformed as they stream.
                startJsonStream(held.head(), transform);
                ProxyHeaders.compactLongValues(held.head().headers());
                c.ch.write(held.head(), c.ch.voidPromise());
                ByteBuf collected = held.takeBody();
                byte[] bytes = ByteBufUtil.getBytes(collected);
                collected.release();
                feedJson(bytes, last);
                return;
            }
            if (tooLargeToTransform(transform)) {
                held.release();
                return;
            }
            // Passed unchanged: what was collected goes out as it came, the rest streams.
            ByteBuf collected = held.takeBody();
            c.bytesOut += collected.readableBytes();
            c.ch.write(held.head(), c.ch.voidPromise());
            c.ch.write(last ? new DefaultLastHttpContent(collected) : new DefaultHttpContent(collected), c.ch.voidPromise());
            c.clientFlushPending = true;
            if (last) {
                completeResponse();
            } else if (!c.ch.isWritable()) {
                c.upstream.config().setAutoRead(false);
            }
            return;
        }
        if (!last) {
            return;
        }
        c.jsonBuffer = null;
        ByteBuf rewritten = held.transform(c.ch.alloc());
        ByteBuf body;
        if (rewritten == null) {
            transform.counters().bodyInvalid.increment();
            body = held.takeBody();
        } else {
            transform.counters().body.increment();
            held.release();
            body = rewritten;
        }
        c.bytesOut += body.readableBytes();
        ProxyHeaders.compactLongValues(held.head().headers());
        c.ch.write(held.head(), c.ch.voidPromise());
        c.ch.write(new DefaultLastHttpContent(body), c.ch.voidPromise());
        c.clientFlushPending = true;
        completeResponse();
    }

    /**
     * Switches a JSON response to streaming transformation: its length is unknown until the end, so it goes chunked to
     * HTTP/1.1 (and HTTP/2) clients and close-delimited to HTTP/1.0 ones.
     */
    void startJsonStream(HttpResponse head, RouteTransform transform) {
        transform.counters().bodyStreamed.increment();
        head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        if (c.http11Client) {
            HttpUtil.setTransferEncodingChunked(head, true);
        } else {
            head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            c.keepAlive = false;
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        c.jsonStream = transform.json().stream();
    }

    /** Transforms the next bytes of a streaming JSON response and sends what is ready; the last ones end the response. */
    void feedJson(byte[] bytes, boolean last) {
        byte[] ready;
        byte[] rest = null;
        try {
            ready = c.jsonStream.feed(bytes);
            if (last) {
                rest = c.jsonStream.finish();
            }
        } catch (RuntimeException malformed) {
            // The head went out with the promise of a transformed body: cutting the connection is the honest signal.
            c.route.transform().counters().bodyInvalid.increment();
            c.jsonStream = null;
            c.upstreamSide.abortUpstream();
            c.closeClient();
            return;
        }
        if (ready.length > 0) {
            c.bytesOut += ready.length;
            c.ch.write(new DefaultHttpContent(Unpooled.wrappedBuffer(ready)), c.ch.voidPromise());
            c.clientFlushPending = true;
        }
        if (!last) {
            if (!c.ch.isWritable() && c.upstream != null) {
                c.upstream.config().setAutoRead(false);
            }
            return;
        }
        c.jsonStream = null;
        c.route.transform().counters().body.increment();
        c.bytesOut += rest.length;
        c.ch.write(new DefaultLastHttpContent(Unpooled.wrappedBuffer(rest)), c.ch.voidPromise());
        c.clientFlushPending = true;
        completeResponse();
    }

    /** Asks the route's cache whether to store this response; if so its body is collected while it streams. */
    void offerToCache(HttpResponse response, int status) {
        long requestTimeMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c.upstreamSentNanos);
        c.cacheFill = CacheFill.offer(c.route.traffic().cache(), c.cacheMiss, c.cacheContext, response, status, requestTimeMillis);
    }

    void onResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (c.skippingInformational) {
            content.release();
            c.skippingInformational = !last;
            return;
        }
        if (!c.responseStarted) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            c.upstreamSide.onUpstreamLost(content.decoderResult().cause());
            return;
        }
        if (c.jsonBuffer != null) {
            collectJson(content, last);
            return;
        }
        if (c.jsonStream != null) {
            byte[] bytes = ByteBufUtil.getBytes(content.content());
            content.release();
            feedJson(bytes, last);
            return;
        }
        if (c.cacheFill != null && (!c.cacheFill.collect(content, last) || last)) {
            c.cacheFill = null;
        }
        int bytes = content.content().readableBytes();
        c.bytesOut += bytes;
        c.clientFlushPending = true;
        if (bytes == 0) {
            c.ch.write(content, c.ch.voidPromise());
        } else {
            c.stats.bodyBytesAccepted(bytes);
            c.ch.write(content).addListener(f -> c.stats.bodyBytesWritten(bytes));
        }
        if (!last) {
            if (!c.ch.isWritable()) {
                c.upstream.config().setAutoRead(false);
            }
            return;
        }
        completeResponse();
    }

    void completeResponse() {
        Channel used = c.upstream;
        boolean reusable = c.upstreamKeepAlive && c.lastSentUpstream && c.requestComplete;
        EndpointPool usedPool = c.pool;
        c.upstreamSide.detachUpstream();
        usedPool.release(used, reusable);
        if (c.keepAlive && c.requestComplete) {
            c.clientFlushPending = false;
            c.ch.flush();
            c.endExchange();
        } else {
            c.closeClient();
        }
    }

    /** Flushes what this upstream read wrote to the client, unless the completed response was flushed already. */
    void onUpstreamReadComplete() {
        if (c.clientFlushPending) {
            c.clientFlushPending = false;
            c.ch.flush();
        }
    }

    void onUpstreamWritabilityChanged() {
        c.updateClientRead();
    }
}
