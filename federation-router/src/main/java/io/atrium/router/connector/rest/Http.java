package io.atrium.router.connector.rest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** URL building for REST connectors: RFC 3986 percent-encoding of interpolated values and query strings. */
final class Http {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Http() {
    }

    /** Percent-encodes everything but the unreserved characters (so a value never adds a path segment or parameter). */
    static String encode(String value) {
        boolean plain = true;
        for (int i = 0; i < value.length() && plain; i++) {
            plain = unreserved(value.charAt(i));
        }
        if (plain) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0 && unreserved((char) b)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    /** Appends {@code name=value} pairs of a {@code queryParams} object: lists repeat the name, missing/null values are left out. */
    static void appendQuery(StringBuilder url, Object params) {
        if (!(params instanceof Map<?, ?> map)) {
            return;
        }
        for (var entry : map.entrySet()) {
            if (entry.getValue() instanceof List<?> list) {
                for (Object item : list) {
                    appendParam(url, (String) entry.getKey(), item);
                }
            } else {
                appendParam(url, (String) entry.getKey(), entry.getValue());
            }
        }
    }

    private static void appendParam(StringBuilder url, String name, Object value) {
        if (value == null) {
            return;
        }
        url.append(url.indexOf("?") < 0 ? '?' : '&').append(encode(name)).append('=').append(encode(UrlTemplate.text(value)));
    }
}
