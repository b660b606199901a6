package io.atrium.edge.config;

import io.atrium.policy.identity.IdentityHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

import java.util.Locale;
import java.util.Set;

/**
 * Headers a transformation may not touch: hop-by-hop headers (RFC 9110 section 7.6.1, plus {@code Proxy} and
 * {@code Proxy-*}), message framing, and the headers the edge itself owns (identity, request id, forwarding, tracing,
 * rate-limit and cache state). The data path relies on this: it applies transformations without re-checking names.
 */
public final class EdgeOwnedHeaders {

    private static final AsciiString PROXY = AsciiString.cached("proxy");
    private static final AsciiString PROXY_PREFIX = AsciiString.cached("proxy-");
    private static final Set<String> REQUEST_OWNED = Set.of("host", "content-length", "transfer-encoding", "expect", "x-request-id",
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "via", "traceparent", "tracestate");
    private static final Set<String> RESPONSE_OWNED = Set.of("content-length", "transfer-encoding", "x-request-id", "via", "x-cache",
            "age", "retry-after", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "ratelimit-policy");

    private EdgeOwnedHeaders() {
    }

    /** RFC 9110 section 7.6.1's hop-by-hop fields, plus {@code Proxy} (httpoxy) and {@code Proxy-*}. */
    public static boolean isHopByHop(CharSequence name) {
        return switch (name.length()) {
            case 2 -> HttpHeaderNames.TE.contentEqualsIgnoreCase(name);
            case 5 -> PROXY.contentEqualsIgnoreCase(name);
            case 7 -> HttpHeaderNames.TRAILER.contentEqualsIgnoreCase(name) || HttpHeaderNames.UPGRADE.contentEqualsIgnoreCase(name);
            case 10 -> HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name) || HttpHeaderNames.KEEP_ALIVE.contentEqualsIgnoreCase(name);
            default -> name.length() > PROXY_PREFIX.length() && (name.charAt(0) | 0x20) == 'p'
                    && AsciiString.regionMatches(name, true, 0, PROXY_PREFIX, 0, PROXY_PREFIX.length());
        };
    }

    /** Why a request transformation may not touch {@code name}, or null when it may. */
    public static String requestRefusal(String name) {
        return refusal(name, REQUEST_OWNED, "use transform.request.host to set the upstream Host");
    }

    /** Why a response transformation may not touch {@code name}, or null when it may. */
    public static String responseRefusal(String name) {
        return refusal(name, RESPONSE_OWNED, null);
    }

    private static String refusal(String name, Set<String> owned, String hostHint) {
        if (!isToken(name)) {
            return "'" + name + "' is not a valid header name";
        }
        if (isHopByHop(name)) {
            return "'" + name + "' is a hop-by-hop header, which the edge manages per connection";
        }
        if (IdentityHeaders.isInternal(name)) {
            return "'" + name + "' is an identity header the edge owns (X-Atrium-*)";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (owned.contains(lower)) {
            return "'" + name + "' is set by the edge itself" + (lower.equals("host") && hostHint != null ? " (" + hostHint + ")" : "");
        }
        return null;
    }

    /** RFC 9110 token characters. */
    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
