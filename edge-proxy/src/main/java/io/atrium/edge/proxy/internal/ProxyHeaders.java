package io.atrium.edge.proxy.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import io.atrium.edge.config.EdgeOwnedHeaders;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.identity.IdentityHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Header rewriting between client and upstream: hop-by-hop removal, forwarding headers, Via, request id. */
final class ProxyHeaders {

    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    // Constant values as AsciiString: validated and encoded as bytes rather than char by char on every request.
    static final AsciiString VIA_VALUE = AsciiString.cached("1.1 atrium");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final int MAX_WIRE_NAMES = 1024;
    private static final ConcurrentHashMap<String, AsciiString> WIRE_NAMES = new ConcurrentHashMap<>();
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

    /**
     * The name of a header a policy adds (RateLimit-*, CORS, identity) as a shared {@link AsciiString}: validated and
     * encoded as bytes with a cached hash, instead of char by char on every request. Policy header names come from code
     * and config, a small set; past {@link #MAX_WIRE_NAMES} further names are converted per call.
     */
    static AsciiString wireName(String name) {
        AsciiString wire = WIRE_NAMES.get(name);
        if (wire == null) {
            wire = AsciiString.cached(name);
            if (WIRE_NAMES.size() < MAX_WIRE_NAMES) {
                WIRE_NAMES.putIfAbsent(name, wire);
            }
        }
        return wire;
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
     * Removes {@code Connection}, the headers it names, the fixed hop-by-hop set ({@code Keep-Alive}, {@code TE},
     * {@code Trailer}, {@code Upgrade}) and {@code Proxy} / {@code Proxy-*} headers, in one pass over the headers (most messages
     * have none of them). Framing headers named in {@code Connection} are kept: removing them would change how the
     * message is delimited.
     */
    static void removeHopByHop(HttpHeaders headers) {
        List<CharSequence> found = null;
        boolean connection = false;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (isHopByHop(name)) {
                if (found == null) {
                    found = new ArrayList<>(2);
                }
                found.add(name);
                connection |= HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name);
            }
        }
        if (found == null) {
            return;
        }
        if (connection) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : value.split(",")) {
                    String name = token.trim();
                    if (!name.isEmpty() && !isFraming(name)) {
                        headers.remove(name);
                    }
                }
            }
        }
        for (CharSequence name : found) {
            headers.remove(name);
        }
    }

    /** RFC 9110 section 7.6.1's hop-by-hop fields, plus {@code Proxy} and {@code Proxy-*} (Proxy-Connection, ...). */
    static boolean isHopByHop(CharSequence name) {
        return EdgeOwnedHeaders.isHopByHop(name);
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

    /** Adds a route's configured headers, with their wire names. */
    static void addAll(HttpHeaders headers, List<HttpHeader> extra) {
        for (int i = 0; i < extra.size(); i++) {
            HttpHeader header = extra.get(i);
            headers.add(wireName(header.name()), header.value());
        }
    }
}
