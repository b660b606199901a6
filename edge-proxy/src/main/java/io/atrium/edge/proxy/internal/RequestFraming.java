package io.atrium.edge.proxy.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What Netty's decoders let through but no request forwarded by a proxy may carry, checked before routing (RFC 9112
 * §3.2, §6.1; RFC 9113 §8.2.1). Each would let the edge and an upstream read one message differently:
 * <ul>
 *   <li>HTTP/1.1 without exactly one {@code Host} (HTTP/1.0: more than one) — which host was meant is ambiguous;</li>
 *   <li>a {@code Transfer-Encoding} other than one {@code chunked} (another coding, a list, several headers) or one in
 *       an HTTP/1.0 request — the edge decodes only chunked, so the upstream would be left to guess the length;</li>
 *   <li>over HTTP/2, a field value with CR, LF or NUL — written into an HTTP/1.1 upstream request it would split a
 *       header line (header injection, request smuggling by downgrade).</li>
 * </ul>
 * Netty's HTTP/1.1 decoder already refuses CR/LF/NUL in values, Content-Length next to Transfer-Encoding and
 * conflicting Content-Lengths; it replaces obs-fold with a space and reads chunk sizes leniently, which RFC 9112
 * allows since the edge re-frames what it forwards.
 */
final class RequestFraming {

    private RequestFraming() {
    }

    /** Null when the request may be routed, else the problem's detail. */
    static String problem(HttpRequest request, boolean http2) {
        HttpHeaders headers = request.headers();
        if (http2) {
            return fieldValuesProblem(headers);
        }
        boolean http11 = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (http11 ? hosts.size() != 1 : hosts.size() > 1) {
            return hosts.isEmpty() ? "An HTTP/1.1 request needs a Host header."
                    : "The request has " + hosts.size() + " Host headers; exactly one is allowed.";
        }
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            if (!http11) {
                return "An HTTP/1.0 request cannot use Transfer-Encoding.";
            }
            if (codings.size() != 1 || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(codings.getFirst().strip())) {
                return "Transfer-Encoding must be exactly 'chunked'; other codings, lists and repeated headers are not accepted.";
            }
        }
        return null;
    }

    private static String fieldValuesProblem(HttpHeaders headers) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence value = header.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    return "The value of header " + header.getKey() + " contains CR, LF or NUL.";
                }
            }
        }
        return null;
    }
}
