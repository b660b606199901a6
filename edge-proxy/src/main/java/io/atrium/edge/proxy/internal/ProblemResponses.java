package io.atrium.edge.proxy.internal;

import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemType;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/** Responses the edge generates itself: RFC 9457 problem documents. */
final class ProblemResponses {

    private static final AsciiString PROBLEM_JSON = AsciiString.cached(Problem.MEDIA_TYPE);

    private ProblemResponses() {
    }

    static FullHttpResponse problem(ProblemType type, String detail, String target, String requestId, boolean close, boolean http11Client) {
        byte[] body = Problem.of(type, detail, pathOf(target), requestId).toJsonBytes();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(type.status()),
                Unpooled.wrappedBuffer(body));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, PROBLEM_JSON);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (requestId != null) {
            headers.set(ProxyHeaders.X_REQUEST_ID, requestId);
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!http11Client) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return response;
    }

    /** The path of a request target, without the query; null when the target is not origin-form. */
    static String pathOf(String target) {
        if (target == null || target.isEmpty() || target.charAt(0) != '/') {
            return null;
        }
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }
}
