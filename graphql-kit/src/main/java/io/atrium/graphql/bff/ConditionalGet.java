package io.atrium.graphql.bff;

import io.atrium.graphql.http.EntityTags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conditional GETs of a BFF's answers (bff-web's APQ over GET, bff-mobile's {@code GET /v1/ops}): a successful answer
 * without errors gets a strong {@code ETag} ({@link EntityTags}: the router tags its GET answers the same way, so a
 * tag the BFF gave for the router's bytes can be revalidated at the router); a request whose {@code If-None-Match}
 * names it gets {@code 304 Not Modified} with no body. Answers with errors are never tagged, and the answer's own
 * headers ({@code Cache-Control}, {@code Vary}, …) are kept, on a 304 too.
 */
public final class ConditionalGet {
    /** Bytes of answers the memo keeps by default. */
    public static final long DEFAULT_MEMO_BYTES = EntityTags.DEFAULT_MEMO_BYTES;

    private final EntityTags tags;

    /** @param memoBytes bytes of answers to remember tags of (0: none) */
    public ConditionalGet(long memoBytes) {
        this.tags = new EntityTags(memoBytes);
    }

    /** The answer with its {@code ETag}, a 304 when {@code If-None-Match} names it; unchanged when it is not taggable. */
    public BffResult apply(String ifNoneMatch, BffResult result) {
        String etag = result.status() == 200 ? etag(result.body()) : null;
        return etag == null ? result : answer(ifNoneMatch, result, etag);
    }

    /** The strong entity tag of an answer body, or null when the body may carry errors (or is empty). */
    public String etag(byte[] body) {
        return tags.etag(body);
    }

    /** {@code result} (a 200 whose tag is {@code etag}) with that tag, or a 304 with its headers when it matches. */
    public static BffResult answer(String ifNoneMatch, BffResult result, String etag) {
        Map<String, String> headers = new LinkedHashMap<>(result.headers());
        headers.put("etag", etag);
        if (matches(ifNoneMatch, etag)) {
            headers.remove("content-type");
            return new BffResult(304, headers, new byte[0], result.operation());
        }
        return new BffResult(200, headers, result.body(), result.operation());
    }

    /** {@code If-None-Match}: {@code *} or a list of entity tags; weak tags compare by their opaque part (RFC 9110). */
    public static boolean matches(String ifNoneMatch, String etag) {
        return EntityTags.matches(ifNoneMatch, etag);
    }
}
