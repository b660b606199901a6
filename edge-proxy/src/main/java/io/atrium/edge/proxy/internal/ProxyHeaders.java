package io.atrium.edge.proxy.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import io.atrium.policy.identity.IdentityHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Header rewriting between client and upstream: hop-by-hop removal, forwarding headers, Via, request id. */
final class ProxyHeaders {

    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    // Constant values as AsciiString: validated and encoded as bytes rather than char by char on every request.
    static final AsciiString VIA_VALUE = AsciiString.cached("1.1 atrium");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    /** Shorter values are written about as fast char by char as they are copied after a conversion. */
    private static final int COMPACT_FROM = 48;

    private ProxyHeaders() {
    }

    /** Prepares a client request's headers for the upstream (in place); {@code Host} is set per attempt, to its endpoint. */
    static void toUpstream(HttpHeaders headers, CharSequence clientIp, String requestId, boolean secure) {
        String originalHost = headers.get(HttpHeaderNames.HOST);
        removeHopByHop(headers);
        headers.remove(HttpHeaderNames.EXPECT);
        if (!headers.contains(X_FORWARDED_FOR)) {
            headers.set(X_FORWARDED_FOR, clientIp);
        } else {
            headers.set(X_FORWARDED_FOR, String.join(", ", headers.getAll(X_FORWARDED_FOR)) + ", " + clientIp);
        }
        headers.set(X_FORWARDED_PROTO, secure ? HTTPS : HTTP);
        if (originalHost != null) {
            headers.set(X_FORWARDED_HOST, originalHost);
        } else {
            headers.remove(X_FORWARDED_HOST);
        }
        headers.set(X_REQUEST_ID, requestId);
        appendVia(headers);
    }

    /**
     * Replaces long {@code String} values (bearer tokens, cookies, the identity assertion) by {@link AsciiString}s of
     * the same bytes, in place (order kept). The HTTP encoder copies an {@code AsciiString} at once but writes a
     * {@code String} char by char, which made a few hundred bytes of token cost more than the rest of the head. The bytes
     * on the wire do not change: both map chars to their ISO-8859-1 byte, as the decoder read them.
     */
    static void compactLongValues(HttpHeaders headers) {
        if (!(headers instanceof DefaultHttpHeaders)) {
            return; // other kinds may not support replacing a value in place
        }
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            if (header.getValue() instanceof String value && value.length() >= COMPACT_FROM) {
                header.setValue(compact(value));
            }
        }
    }

    /** A value the edge adds itself, compacted as {@link #compactLongValues} would (and validated faster as bytes). */
    static CharSequence wireValue(String value) {
        return value.length() >= COMPACT_FROM ? compact(value) : value;
    }

    private static AsciiString compact(String value) {
        return new AsciiString(value.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /** Removes every client-sent internal header ({@code X-Atrium-*}): only the edge may set them. */
    static void stripInternal(HttpHeaders headers) {
        List<CharSequence> internal = null;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (IdentityHeaders.isInternal(name)) {
                if (internal == null) {
                    internal = new ArrayList<>(2);
                }
                internal.add(name);
            }
        }
        if (internal != null) {
            for (CharSequence name : internal) {
                headers.remove(name);
            }
        }
    }

    /** Prepares an upstream response's headers for the client (in place). */
    static void toClient(HttpHeaders headers, String requestId) {
        removeHopByHop(headers);
        appendVia(headers);
        headers.set(X_REQUEST_ID, requestId);
    }

    /**
     * Removes {@code Connection}, the headers it names and the fixed hop-by-hop set. Framing headers named in
     * {@code Connection} are kept: removing them would change how the message is delimited.
     */
    static void removeHopByHop(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : value.split(",")) {
                    String name = token.trim();
                    if (!name.isEmpty() && !isFraming(name)) {
                        headers.remove(name);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.UPGRADE);
        headers.remove(PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    }

    private static boolean isFraming(String name) {
        return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
    }

    private static void appendVia(HttpHeaders headers) {
        String via = headers.get(HttpHeaderNames.VIA);
        headers.set(HttpHeaderNames.VIA, via == null ? VIA_VALUE : via + ", " + VIA_VALUE);
    }
}
