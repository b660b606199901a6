package io.atrium.edge.proxy.internal;

import io.atrium.policy.HttpHeader;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.cache.CacheLookup;
import io.atrium.policy.cache.ResponseCache;
import io.atrium.policy.cache.StoreDecision;
import io.atrium.policy.cache.UpstreamResponse;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An upstream response the route's cache decided to store: its body is collected while it streams to the client and
 * stored once complete, or abandoned as soon as it exceeds the cache's entry limit. Confined to the exchange's loop.
 */
final class CacheFill {

    private final ResponseCache cache;
    private final StoreDecision.Store store;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private CacheFill(ResponseCache cache, StoreDecision.Store store) {
        this.cache = cache;
        this.store = store;
    }

    /** Asks {@code cache} whether to store {@code response}: a fill to feed its body to, or null. */
    static CacheFill offer(ResponseCache cache, CacheLookup.Miss miss, PolicyContext context, HttpResponse response, int status,
                           long requestTimeMillis) {
        List<HttpHeader> headers = new ArrayList<>(response.headers().size());
        for (var header : response.headers()) {
            headers.add(new HttpHeader(header.getKey(), header.getValue()));
        }
        StoreDecision decision = cache.decide(miss, context,
                new UpstreamResponse(status, headers, HttpUtil.getContentLength(response, -1L), requestTimeMillis));
        return decision instanceof StoreDecision.Store store ? new CacheFill(cache, store) : null;
    }

    /** Adds a body chunk (not consumed); false when the response turned out too large and the fill was abandoned. */
    boolean collect(HttpContent content, boolean last) {
        ByteBuf bytes = content.content();
        if (body.size() + bytes.readableBytes() > cache.config().maxEntryBytes()) {
            return false;
        }
        try {
            bytes.getBytes(bytes.readerIndex(), body, bytes.readableBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        if (last) {
            cache.store(store, body.toByteArray());
        }
        return true;
    }
}
