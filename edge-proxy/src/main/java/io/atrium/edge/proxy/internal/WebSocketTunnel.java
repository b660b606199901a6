package io.atrium.edge.proxy.internal;

import io.atrium.policy.resilience.AttemptOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.channel.ChannelHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * WebSocket pass-through of a {@link ClientConnection}: after the upstream's {@code 101} both pipelines drop their HTTP
 * codecs and carry raw bytes both ways until either side closes. State lives on the connection.
 */
final class WebSocketTunnel {

    private final ClientConnection c;

    WebSocketTunnel(ClientConnection c) {
        this.c = c;
    }

    /**
     * The upstream accepted the WebSocket upgrade: the 101 goes to the client, then both pipelines lose their HTTP
     * codecs and the connections carry raw bytes both ways until either closes. The upstream connection is never pooled
     * again. Backpressure as for bodies: each side is read only while the other is writable.
     */
    void switchToTunnel(HttpResponse response) {
        c.upstreamSide.cancelTimeout();
        c.cancelBodyTimer();
        c.upstreamNanos = System.nanoTime() - c.upstreamSentNanos;
        c.route.meters().upstream(c.upstreamNanos);
        c.attemptActive = false;
        c.call.attemptFinished(AttemptOutcome.response(101));
        c.call.responseStarted();
        c.status = 101;
        c.responseStarted = true;
        c.keepAlive = false;
        c.tunnel = true;
        c.tunnelPending = new ArrayDeque<>(2);
        ClientConnection.releaseAll(c.pipelined);

        HttpHeaders headers = response.headers();
        ProxyHeaders.toClient(headers, c.requestId);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
        switching.headers().set(headers);
        c.ch.write(switching, c.ch.voidPromise());

        // Client side first (from the end: a removed decoder hands its unread bytes to what follows it, i.e. to us,
        // and they wait in tunnelPending); then the upstream's codec, whose unread bytes can go to the client at once.
        List<String> names = c.ch.pipeline().names();
        for (int i = names.size() - 1; i >= 0; i--) {
            ChannelHandler handler = c.ch.pipeline().get(names.get(i));
            if (handler != null && handler != c && !(handler instanceof SslHandler) && !(handler instanceof ReadActivity)) {
                c.ch.pipeline().remove(handler);
            }
        }
        Channel up = c.upstream;
        if (up != null && up.pipeline().get(HttpClientCodec.class) != null) {
            up.pipeline().remove(HttpClientCodec.class);
        }
        ByteBuf pending;
        while ((pending = c.tunnelPending.pollFirst()) != null) {
            writeTunnelUpstream(pending);
        }
        c.tunnelPending = null;
        c.ch.flush();
        c.upstreamSide.flushUpstream();
        c.updateClientRead();
        if (c.upstream != null) {
            c.upstream.config().setAutoRead(c.ch.isWritable());
        }
    }

    void relayToUpstream(Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (c.tunnelPending != null) {
            c.tunnelPending.addLast(bytes);
            return;
        }
        if (c.upstream == null) {
            bytes.release();
            return;
        }
        writeTunnelUpstream(bytes);
        c.updateClientRead();
    }

    void writeTunnelUpstream(ByteBuf bytes) {
        if (c.upstream == null) {
            bytes.release();
            return;
        }
        c.bodyBytesSeen += bytes.readableBytes();
        c.upstream.write(bytes, c.upstream.voidPromise());
        c.upstreamFlushPending = true;
    }

    void relayToClient(Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            // The decoder's end marker of the 101, read before the codec was removed.
            ReferenceCountUtil.release(msg);
            return;
        }
        c.bytesOut += bytes.readableBytes();
        c.ch.write(bytes, c.ch.voidPromise());
        c.clientFlushPending = true;
        if (!c.ch.isWritable() && c.upstream != null) {
            c.upstream.config().setAutoRead(false);
        }
    }
}
