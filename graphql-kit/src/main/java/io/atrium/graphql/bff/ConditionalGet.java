package io.atrium.graphql.bff;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.atrium.graphql.trusted.Sha256;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Conditional GETs of a BFF's answers (bff-web's APQ over GET, bff-mobile's {@code GET /v1/ops}): a successful answer
 * without errors gets a strong {@code ETag} (SHA-256 of the body); a request whose {@code If-None-Match} names it gets
 * {@code 304 Not Modified} with no body. Answers with errors are never tagged (they must not be revalidated into a
 * cache), and the answer's own headers ({@code Cache-Control}, {@code Vary}, …) are kept, on a 304 too.
 *
 * <p>Tags are remembered by the exact bytes they were computed from: an answer identical to one tagged before (found
 * by its CRC32C and length, then compared byte for byte) reuses that tag and that answer's error check, instead of
 * searching and hashing the body again (about 90 µs for an 88 KB answer, more than not sending it costs; the
 * comparison takes a few). The memo holds up to {@link #DEFAULT_MEMO_BYTES} of answers, least recently used out.
 */
public final class ConditionalGet {
    /** Bytes of answers the memo keeps by default. */
    public static final long DEFAULT_MEMO_BYTES = 16L * 1024 * 1024;

    private record Tagged(byte[] body, String etag) {
    }

    private final long maxEntryBytes;
    private final Cache<Long, Tagged> memo;

    /** @param memoBytes bytes of answers to remember tags of (0: none) */
    public ConditionalGet(long memoBytes) {
        this.maxEntryBytes = memoBytes / 16;
        this.memo = Caffeine.newBuilder().maximumWeight(Math.max(0, memoBytes))
                .weigher((Long key, Tagged tagged) -> tagged.body().length + 64).build();
    }

    /** The answer with its {@code ETag}, a 304 when {@code If-None-Match} names it; unchanged when it is not taggable. */
    public BffResult apply(String ifNoneMatch, BffResult result) {
        String etag = result.status() == 200 ? etag(result.body()) : null;
        return etag == null ? result : answer(ifNoneMatch, result, etag);
    }

    /** The strong entity tag of an answer body, or null when the body may carry errors (or is empty). */
    public String etag(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(body);
        long key = (crc.getValue() << 32) | (body.length & 0xffffffffL);
        Tagged known = memo.getIfPresent(key);
        if (known != null && Arrays.equals(known.body(), body)) {
            return known.etag(); // only error-free answers are remembered
        }
        if (BffResult.containsErrorsKey(body)) {
            return null;
        }
        String etag = "\"" + Sha256.hex(body) + "\"";
        if (body.length <= maxEntryBytes) {
            memo.put(key, new Tagged(body, etag));
        }
        return etag;
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
