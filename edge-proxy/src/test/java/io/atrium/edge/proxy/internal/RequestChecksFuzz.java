package io.atrium.edge.proxy.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The edge's own request checks before routing: the request target (origin form, no dot segments, also encoded)
 * and the framing rules (Host, Transfer-Encoding, HTTP/2 field values). Any input must give a verdict, never an
 * exception; and a target the check accepts never contains a dot segment after percent-decoding.
 */
class RequestChecksFuzz {

    @FuzzTest
    void requestChecksAlwaysGiveAVerdict(FuzzedDataProvider data) {
        String target = data.consumeString(512);
        String problem = RequestTargets.problem(target);
        if (problem == null) {
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            String decoded = path.replace("%2e", ".").replace("%2E", ".");
            for (String segment : decoded.split("/", -1)) {
                if (segment.equals(".") || segment.equals("..")) {
                    throw new AssertionError("accepted a dot segment: " + target);
                }
            }
        }
        HttpRequest request = new DefaultHttpRequest(data.consumeBoolean() ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0,
                HttpMethod.POST, "/", DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        int headers = data.consumeInt(0, 8);
        for (int i = 0; i < headers; i++) {
            String name = data.pickValue(new String[] {"host", "transfer-encoding", "content-length", "x-any"});
            request.headers().add(name, data.consumeString(64));
        }
        RequestFraming.problem(request, data.consumeBoolean());
    }
}
