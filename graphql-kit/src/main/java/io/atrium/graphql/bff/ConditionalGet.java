package io.atrium.graphql.bff;

import io.atrium.graphql.trusted.Sha256;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conditional GETs of a BFF's answers (bff-web's APQ over GET, bff-mobile's {@code GET /v1/ops}): a successful answer
 * without errors gets a strong {@code ETag} (SHA-256 of the body); a request whose {@code If-None-Match} names it gets
 * {@code 304 Not Modified} with no body. Answers with errors are never tagged (they must not be revalidated into a
 * cache), and the answer's own headers ({@code Cache-Control}, {@code Vary}, …) are kept, on a 304 too.
 */
public final class ConditionalGet {
    private ConditionalGet() {
    }

    public static BffResult apply(String ifNoneMatch, BffResult result) {
        if (result.status() != 200 || result.mayHaveErrors()) {
            return result;
        }
        return tag(ifNoneMatch, result);
    }

    /**
     * {@link #apply} for an answer the caller already found to be a 200 without errors (the body is not searched
     * again: a second pass over an 88 KB answer costs about as much as not sending it).
     */
    public static BffResult applyToErrorFree(String ifNoneMatch, BffResult result) {
        return tag(ifNoneMatch, result);
    }

    private static BffResult tag(String ifNoneMatch, BffResult result) {
        String etag = "\"" + Sha256.hex(result.body()) + "\"";
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
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || (tag.startsWith("W/") && tag.substring(2).equals(etag))) {
                return true;
            }
        }
        return false;
    }
}
