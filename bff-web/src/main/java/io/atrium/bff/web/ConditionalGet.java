package io.atrium.bff.web;

import io.atrium.graphql.bff.BffResult;
import io.atrium.graphql.json.JsonReader;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conditional GETs on {@code /web/graphql} (APQ over GET): a successful answer without errors gets a strong
 * {@code ETag} (SHA-256 of the body); a request whose {@code If-None-Match} names it gets {@code 304 Not Modified}
 * with no body. Answers with errors are never tagged (they must not be revalidated into a cache), and the answer's own
 * {@code Cache-Control} and {@code Vary} (the controller's: the kit's headers and Cookie) are kept, on a 304 too.
 */
final class ConditionalGet {
    private ConditionalGet() {
    }

    static BffResult apply(String ifNoneMatch, BffResult result) {
        if (result.status() != 200 || !successful(result.body())) {
            return result;
        }
        String etag = "\"" + sha256(result.body()) + "\"";
        Map<String, String> headers = new LinkedHashMap<>(result.headers());
        headers.put("etag", etag);
        if (matches(ifNoneMatch, etag)) {
            headers.remove("content-type");
            return new BffResult(304, headers, new byte[0]);
        }
        return new BffResult(200, headers, result.body());
    }

    /** {@code If-None-Match}: {@code *} or a list of entity tags; weak tags compare by their opaque part (RFC 9110). */
    static boolean matches(String ifNoneMatch, String etag) {
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

    private static boolean successful(byte[] body) {
        try {
            return JsonReader.read(body) instanceof Map<?, ?> map && map.get("data") != null && !map.containsKey("errors");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
