package io.atrium.graphql.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.atrium.graphql.trusted.Sha256;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Strong entity tags of GraphQL answers, shared by every Atrium endpoint that answers conditional GETs (the router's
 * {@code GET /graphql}, bff-web's APQ over GET, bff-mobile's {@code GET /v1/ops}), so that one endpoint's tag is
 * another's for the same bytes: the SHA-256 of the body, quoted. An answer that may carry errors (its body contains
 * the key {@code "errors"}) or is empty gets no tag: it must not be revalidated into a cache.
 *
 * <p>Tags are remembered by the exact bytes they were computed from: an answer identical to one tagged before (found
 * by its CRC32C and length, then compared byte for byte) reuses that tag instead of searching and hashing the body
 * again (about 90 µs for an 88 KB answer, more than not sending it costs; the comparison takes a few). The memo holds
 * up to the given bytes of answers, least recently used out.
 */
public final class EntityTags {
    /** Bytes of answers the memo keeps by default. */
    public static final long DEFAULT_MEMO_BYTES = 16L * 1024 * 1024;

    private record Tagged(byte[] body, String etag) {
    }

    private final long maxEntryBytes;
    private final Cache<Long, Tagged> memo;

    /** @param memoBytes bytes of answers to remember tags of (0: none) */
    public EntityTags(long memoBytes) {
        this.maxEntryBytes = memoBytes / 16;
        this.memo = Caffeine.newBuilder().maximumWeight(Math.max(0, memoBytes))
                .weigher((Long key, Tagged tagged) -> tagged.body().length + 64).build();
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
        if (containsErrorsKey(body)) {
            return null;
        }
        String etag = "\"" + Sha256.hex(body) + "\"";
        if (body.length <= maxEntryBytes) {
            memo.put(key, new Tagged(body, etag));
        }
        return etag;
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

    /** Whether {@code "errors"} (with its quotes) occurs in {@code b}; a plain scan (a Horspool search was slower). */
    public static boolean containsErrorsKey(byte[] b) {
        for (int i = 0, last = b.length - 8; i <= last; i++) {
            if (b[i] == '"' && b[i + 1] == 'e' && b[i + 2] == 'r' && b[i + 3] == 'r' && b[i + 4] == 'o'
                    && b[i + 5] == 'r' && b[i + 6] == 's' && b[i + 7] == '"') {
                return true;
            }
        }
        return false;
    }

    /** {@link #containsErrorsKey(byte[])} for a body still in the buffers it was read into (no copy). */
    public static boolean containsErrorsKey(ByteBuf b) {
        return ByteBufUtil.indexOf(ERRORS_KEY, b) >= 0;
    }

    private static final ByteBuf ERRORS_KEY = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
            "\"errors\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
}
