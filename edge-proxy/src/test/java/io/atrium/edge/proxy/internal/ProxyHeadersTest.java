package io.atrium.edge.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeadersTest {

    private static final String TOKEN = "Bearer " + "eyJhbGciOiJIUzI1NiJ9.".repeat(12) + "sig";
    private static final String LATIN1 = "caf\u00e9 ".repeat(20) + "end";

    private static HttpRequest request() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a");
        request.headers().add("Host", "upstream:80").add("Authorization", TOKEN).add("X-Short", "v")
                .add("Cookie", LATIN1).add("Cookie", "second=" + "x".repeat(60));
        return request;
    }

    private static String encoded(HttpRequest request) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestEncoder());
        channel.writeOutbound(request);
        ByteBuf bytes = channel.readOutbound();
        try {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        } finally {
            bytes.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void compactingLongValuesKeepsTheBytesOnTheWireAndTheOrder() {
        String expected = encoded(request());
        HttpRequest compacted = request();
        ProxyHeaders.compactLongValues(compacted.headers());

        List<CharSequence> names = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> header : (Iterable<Map.Entry<CharSequence, CharSequence>>) compacted.headers()::iteratorCharSequence) {
            names.add(header.getKey());
            boolean longValue = header.getValue().length() >= 48;
            assertThat(header.getValue() instanceof AsciiString).as(header.getKey().toString()).isEqualTo(longValue);
        }
        assertThat(names).extracting(CharSequence::toString).containsExactly("Host", "Authorization", "X-Short", "Cookie", "Cookie");
        assertThat(compacted.headers().get("Authorization")).isEqualTo(TOKEN);
        assertThat(compacted.headers().getAll("Cookie")).containsExactly(LATIN1, "second=" + "x".repeat(60));
        assertThat(encoded(compacted)).isEqualTo(expected);
    }

    @Test
    void valuesTheEdgeAddsAreCompactedTheSameWay() {
        String assertion = "a".repeat(47);
        assertThat(ProxyHeaders.wireValue(assertion)).isSameAs(assertion);
        CharSequence longer = ProxyHeaders.wireValue(assertion + "bc");
        assertThat(longer).isInstanceOf(AsciiString.class);
        assertThat(longer.toString()).isEqualTo(assertion + "bc");
    }
}
