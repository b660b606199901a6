package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.transform.JsonFilter;
import io.atrium.edge.proxy.transform.TransformCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * A JSON response held back while its body is collected (up to the route's {@code max_body}) so the route's
 * {@link JsonFilter} can rewrite it; the head goes out with the new length once the body is complete. Confined to the
 * exchange's event loop; {@link #release()} frees what was collected when the exchange ends early.
 */
final class JsonResponseBuffer {

    private final HttpResponse head;
    private final CompositeByteBuf body;
    private final long maxBody;
    private final JsonFilter filter;

    private JsonResponseBuffer(HttpResponse head, CompositeByteBuf body, long maxBody, JsonFilter filter) {
        this.head = head;
        this.body = body;
        this.maxBody = maxBody;
        this.filter = filter;
    }

    /**
     * Whether an upstream response is one the filter rewrites: a body may follow and is JSON ({@code application/json} or
     * a {@code +json} type) without a content coding. Encoded bodies are counted and pass unchanged.
     */
    static boolean wants(HttpResponse response, TransformCounters counters) {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !isJson(type)) {
            return false;
        }
        String coding = response.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (coding != null && !HttpHeaderValues.IDENTITY.contentEqualsIgnoreCase(coding.trim())) {
            counters.bodyEncoded.increment();
            return false;
        }
        return true;
    }

    private static boolean isJson(String contentType) {
        int end = contentType.indexOf(';');
        String mediaType = (end < 0 ? contentType : contentType.substring(0, end)).trim();
        return mediaType.equalsIgnoreCase("application/json") || mediaType.regionMatches(true, mediaType.length() - 5, "+json", 0, 5);
    }

    /** Holds {@code response}'s head (copied: a full response's own content arrives separately). */
    static JsonResponseBuffer hold(HttpResponse response, long maxBody, JsonFilter filter, ByteBufAllocator alloc) {
        HttpResponse head = new DefaultHttpResponse(response.protocolVersion(), response.status(), response.headers());
        return new JsonResponseBuffer(head, alloc.compositeBuffer(Integer.MAX_VALUE), maxBody, filter);
    }

    /** Adds a chunk (consumed); false once the body exceeds {@code max_body}. */
    boolean add(HttpContent content) {
        ByteBuf bytes = content.content();
        if (bytes.isReadable()) {
            body.addComponent(true, bytes.retain());
        }
        content.release();
        return body.readableBytes() <= maxBody;
    }

    /** The held head, unchanged (for a body passed through as it came). */
    HttpResponse head() {
        return head;
    }

    /** The collected body (ownership passes to the caller). */
    ByteBuf takeBody() {
        return body;
    }

    /**
     * The rewritten body, with the head's framing set to its length; null when the body is not one well-formed JSON
     * value (the collected body is then still owned by this buffer and goes out unchanged).
     */
    ByteBuf transform(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(body.readableBytes());
        try (ByteBufInputStream in = new ByteBufInputStream(body.duplicate()); ByteBufOutputStream sink = new ByteBufOutputStream(out)) {
            filter.filter(in, sink);
        } catch (RuntimeException | java.io.IOException e) {
            out.release();
            return null;
        }
        head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        HttpUtil.setContentLength(head, out.readableBytes());
        return out;
    }

    void release() {
        if (body.refCnt() > 0) {
            body.release();
        }
    }
}
