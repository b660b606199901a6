package io.atrium.router.connector.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** URL building for REST connectors: RFC 3986 percent-encoding of interpolated values and query strings. */
final class Http {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Parsed origins ({@code scheme://authority}) of request URLs: a connector calls few, each many times. */
    private static final Map<String, URI> ORIGINS = new ConcurrentHashMap<>();
    private static final int MAX_ORIGINS = 256;

    private Http() {
    }

    /**
     * An absolute request URL split as an HTTP/1.1 request needs it: its origin and its request target (path and query;
     * a fragment is never sent).
     */
    record Target(URI origin, String target) {
    }

    /**
     * Splits a request URL built by the connector. The origin is parsed by {@link URI} once per distinct origin; the
     * target is checked, not parsed: every character one a URI may hold (RFC 3986: unreserved, reserved, and
     * {@code %} followed by two hex digits). Parsing the whole URL per call cost a REST connector router about 5% of
     * its CPU (a batch call's query names up to a hundred keys).
     *
     * @throws IllegalArgumentException when the URL is not an absolute URL with a host, or holds a character a URI may not
     */
    static Target split(String url) {
        int scheme = url.indexOf("://");
        if (scheme <= 0) {
            throw new IllegalArgumentException("the URL is not absolute (scheme://host/path)");
        }
        int end = scheme + 3;
        while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?' && url.charAt(end) != '#') {
            end++;
        }
        String prefix = url.substring(0, end);
        URI origin = ORIGINS.get(prefix);
        if (origin == null) {
            origin = URI.create(prefix);
            if (origin.getHost() == null) {
                throw new IllegalArgumentException("the URL names no host");
            }
            if (ORIGINS.size() < MAX_ORIGINS) {
                ORIGINS.put(prefix, origin);
            }
        }
        int fragment = url.indexOf('#', end);
        String target = url.substring(end, fragment < 0 ? url.length() : fragment);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
                        || Character.digit(target.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("malformed percent-escape at index " + (end + i) + " of the URL");
                }
                i += 2;
            } else if (!unreserved(c) && ":/?[]@!$&'()*+,;=".indexOf(c) < 0) {
                throw new IllegalArgumentException("the URL holds a character a URI may not at index " + (end + i));
            }
        }
        return new Target(origin, target.isEmpty() || target.charAt(0) == '?' ? "/" + target : target);
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
