package io.atrium.policy.cache;

import java.util.List;

/**
 * The {@code Cache-Control} directives the cache acts on (RFC 9111 §5.2, RFC 5861 {@code stale-if-error}), parsed
 * by hand (no regex). Unknown directives are ignored; a qualified {@code no-cache="…"} or {@code private="…"} is
 * treated like the unqualified directive (stricter, and allowed). Durations are seconds, -1 when absent; a malformed
 * delta-seconds value counts as 0 (stale), the safe reading.
 */
public record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic, boolean mustRevalidate,
                           boolean proxyRevalidate, long maxAge, long sMaxAge, long staleIfError) {

    public static final CacheControl NONE = new CacheControl(false, false, false, false, false, false, -1, -1, -1);

    /** Parses every value of the header (a header may be split over several lines). */
    public static CacheControl parse(List<String> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        Builder b = new Builder();
        for (String value : values) {
            parseInto(value, b);
        }
        return new CacheControl(b.noStore, b.noCache, b.isPrivate, b.isPublic, b.mustRevalidate, b.proxyRevalidate,
                b.maxAge, b.sMaxAge, b.staleIfError);
    }

    private static final class Builder {
        boolean noStore, noCache, isPrivate, isPublic, mustRevalidate, proxyRevalidate;
        long maxAge = -1, sMaxAge = -1, staleIfError = -1;
    }

    private static void parseInto(String header, Builder b) {
        int i = 0;
        int n = header.length();
        while (i < n) {
            int end = directiveEnd(header, i);
            String directive = header.substring(i, end).trim();
            i = end + 1;
            if (directive.isEmpty()) {
                continue;
            }
            int eq = directive.indexOf('=');
            String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
            String argument = eq < 0 ? null : unquote(directive.substring(eq + 1).trim());
            switch (name) {
                case "no-store" -> b.noStore = true;
                case "no-cache" -> b.noCache = true;
                case "private" -> b.isPrivate = true;
                case "public" -> b.isPublic = true;
                case "must-revalidate" -> b.mustRevalidate = true;
                case "proxy-revalidate" -> b.proxyRevalidate = true;
                case "max-age" -> b.maxAge = stricter(b.maxAge, seconds(argument));
                case "s-maxage" -> b.sMaxAge = stricter(b.sMaxAge, seconds(argument));
                case "stale-if-error" -> b.staleIfError = stricter(b.staleIfError, seconds(argument));
                default -> {
                }
            }
        }
    }

    /** The end of the directive starting at {@code from}: the next comma outside a quoted string. */
    private static int directiveEnd(String header, int from) {
        boolean quoted = false;
        for (int i = from; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return header.length();
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"'
                ? value.substring(1, value.length() - 1) : value;
    }

    /** RFC 9111 §4.2.1 lets a cache use the first of repeated directives or treat the response as stale; the lower value is between the two. */
    private static long stricter(long existing, long parsed) {
        return existing < 0 ? parsed : Math.min(existing, parsed);
    }

    /** delta-seconds: digits only; overflow saturates (RFC 9111 §1.2.2); anything else is 0. */
    static long seconds(String argument) {
        if (argument == null || argument.isEmpty()) {
            return 0;
        }
        long value = 0;
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            value = value * 10 + (c - '0');
            if (value > Integer.MAX_VALUE) {
                return Integer.MAX_VALUE;
            }
        }
        return value;
    }
}
