package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.Cluster;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The copy of one request for its route's shadow cluster: the head as it goes upstream, and the body (when declared
 * and at most {@code mirror.max_body}) collected while it streams; sent once the request is complete. Requests with
 * larger or chunked bodies are not mirrored. Confined to the exchange's event loop.
 */
final class RequestMirror {

    private final MirrorSender sender;
    private final Cluster shadow;
    private FullHttpRequest head;
    /** Null for a request without a body. */
    private CompositeByteBuf body;

    private RequestMirror(MirrorSender sender, Cluster shadow, FullHttpRequest head, CompositeByteBuf body) {
        this.sender = sender;
        this.shadow = shadow;
        this.head = head;
        this.body = body;
    }

    /** A copy of {@code request} for {@code shadow}, or null when its body is too large or of unknown length. */
    static RequestMirror of(HttpRequest request, boolean bodyless, long maxBody, Cluster shadow, MirrorSender sender, ByteBufAllocator alloc) {
        long declared = HttpUtil.getContentLength(request, -1L);
        if (!bodyless && (declared < 0 || declared > maxBody)) {
            return null;
        }
        FullHttpRequest head = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(), Unpooled.EMPTY_BUFFER);
        head.headers().set(request.headers());
        return new RequestMirror(sender, shadow, head, bodyless ? null : alloc.compositeBuffer());
    }

    /** Whether the copy still waits for body chunks (false once sent or dropped). */
    boolean collecting() {
        return head != null;
    }

    /** Adds a chunk of the request body (not consumed: the chunk still goes upstream); the last one sends the copy. */
    void collect(HttpContent content, boolean last) {
        if (body != null && content.content().isReadable()) {
            body.addComponent(true, content.content().retainedDuplicate());
        }
        if (last) {
            send();
        }
    }

    /** Sends the copy (once). */
    void send() {
        FullHttpRequest copy = head;
        if (copy == null) {
            return;
        }
        head = null;
        if (body != null) {
            copy = copy.replace(body);
            body = null;
        }
        HttpUtil.setContentLength(copy, copy.content().readableBytes());
        copy.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        copy.headers().remove(HttpHeaderNames.EXPECT);
        sender.send(shadow, copy);
    }

    /** The exchange ended before the request was complete: the copy is not sent. */
    void drop() {
        head = null;
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
