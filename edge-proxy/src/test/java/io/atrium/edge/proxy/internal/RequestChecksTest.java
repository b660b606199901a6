package io.atrium.edge.proxy.internal;

import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemTypes;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RequestChecksTest {

    @Test
    void redirectHostsAreTakenFromPlainHostHeadersOnly() {
        assertThat(RequestTargets.hostWithoutPort("shop.example:8080")).isEqualTo("shop.example");
        assertThat(RequestTargets.hostWithoutPort("shop.example")).isEqualTo("shop.example");
        assertThat(RequestTargets.hostWithoutPort("[::1]:8080")).isEqualTo("[::1]");
        assertThat(RequestTargets.hostWithoutPort("evil.example/path")).isNull();
        assertThat(RequestTargets.hostWithoutPort("a@b")).isNull();
        assertThat(RequestTargets.hostWithoutPort("")).isNull();
        assertThat(RequestTargets.hostWithoutPort(null)).isNull();
        assertThat(RequestTargets.hostWithoutPort(":80")).isNull();
    }

    @Test
    void internalHeadersAreStrippedWhateverTheirCase() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Atrium-Subject", "admin").add("x-atrium-scopes", "all")
                .add("X-ATRIUM-ASSERTION", "forged").add("X-Atrium", "not internal").add("Accept", "*/*");
        ProxyHeaders.stripInternal(headers);
        assertThat(headers.names()).containsExactlyInAnyOrder("X-Atrium", "Accept");
    }

    @Test
    void targetsWithDotSegmentsOrNotOriginFormAreRejected() {
        assertThat(RequestTargets.problem("/a/b?x=../y")).isNull();
        assertThat(RequestTargets.problem("/a/.hidden/b...")).isNull();
        assertThat(RequestTargets.problem("/")).isNull();
        assertThat(RequestTargets.problem("/a/../b")).isNotNull();
        assertThat(RequestTargets.problem("/a/..")).isNotNull();
        assertThat(RequestTargets.problem("/a/./b")).isNotNull();
        assertThat(RequestTargets.problem("/a/%2e%2E/b")).isNotNull();
        assertThat(RequestTargets.problem("/a/.%2e?x")).isNotNull();
        assertThat(RequestTargets.problem("http://example.com/a")).isNotNull();
        assertThat(RequestTargets.problem("*")).isNotNull();
    }

    @Test
    void requestIdsAreKeptWhenWellFormedAndOtherwiseGenerated() {
        assertThat(RequestIds.acceptOrGenerate("abc-123_x.y:z")).isEqualTo("abc-123_x.y:z");
        assertThat(RequestIds.acceptOrGenerate("with space")).hasSize(36);
        assertThat(RequestIds.acceptOrGenerate("x".repeat(129))).hasSize(36);
        assertThat(RequestIds.acceptOrGenerate(null)).hasSize(36);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.generate();
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void hopByHopHeadersAndTheOnesConnectionNamesAreRemovedButFramingIsKept() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "close, X-A")
                .add("Connection", "x-b, Content-Length")
                .add("X-A", "1").add("X-B", "2").add("X-C", "3")
                .add("Content-Length", "3")
                .add("Keep-Alive", "timeout=1").add("TE", "trailers").add("Trailer", "X").add("Upgrade", "h2c")
                .add("Proxy-Connection", "x").add("Proxy-Authorization", "y").add("PROXY-authenticate", "z").add("Proxy", "http://evil")
                .add("Proxyish", "kept").add("Tex", "kept").add("Trailers", "kept");

        ProxyHeaders.removeHopByHop(headers);

        assertThat(headers.names()).containsExactlyInAnyOrder("X-C", "Content-Length", "Proxyish", "Tex", "Trailers");
    }

    @Test
    void problemDocumentRendersAllMembersAsJson() {
        Problem problem = Problem.of(ProblemTypes.UPSTREAM_TIMEOUT, "said \"no\"\n", "/a", "rid");
        assertThat(problem.toJson()).isEqualTo("{\"type\":\"urn:atrium:problem:upstream-timeout\",\"title\":\"Upstream timed out\","
                + "\"status\":504,\"detail\":\"said \\\"no\\\"\\n\",\"instance\":\"/a\",\"code\":\"UPSTREAM_TIMEOUT\",\"request_id\":\"rid\"}");
        assertThat(Problem.of(ProblemTypes.BAD_REQUEST, "x", null, null).toJson()).doesNotContain("instance", "request_id");
    }
}
