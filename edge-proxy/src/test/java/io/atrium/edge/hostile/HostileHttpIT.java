package io.atrium.edge.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.H2cPriorKnowledgeClient;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.edge.testing.TestUpstream;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A request-smuggling corpus thrown at the edge over raw HTTP/1.1 and HTTP/2 (prior knowledge): ambiguous or
 * obfuscated framing (CL.TE, TE.CL, obfuscated Transfer-Encoding, duplicate or signed Content-Length), obs-fold, bare
 * LF and CR, bad chunk sizes, and HTTP/2 requests carrying what HTTP/1.1 would read as framing or connection control.
 * Each is refused with a 4xx/501 problem document (or, in HTTP/2, a refused stream), the connection is not reused
 * after an HTTP/1.1 framing error, and nothing — neither the request nor a smuggled second one — reaches the upstream.
 */
class HostileHttpIT {
    private static TestUpstream upstream;
    private static Edge edge;

    @BeforeAll
    static void start() throws IOException {
        upstream = new TestUpstream();
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                clusters:
                  echo:
                    endpoints: [ "%s" ]
                routes:
                  - name: all
                    match: { path_prefix: / }
                    cluster: echo
                    auth: { public: true }
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() throws IOException {
        edge.close();
        upstream.close();
    }

    @BeforeEach
    void clear() {
        upstream.clear();
    }

    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

    static Stream<Arguments> http1Corpus() {
        return Stream.of(
                Arguments.of("CL.TE", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG"),
                Arguments.of("TE.CL", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
                        + "25\r\n" + SMUGGLED + "\r\n0\r\n\r\n"),
                Arguments.of("TE.TE duplicate", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE unknown coding", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE chunked twice", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE space before colon", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE vertical tab", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE in HTTP/1.0", "POST /a HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("CL duplicate same", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
                Arguments.of("CL list", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc"),
                Arguments.of("CL plus sign", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc"),
                Arguments.of("CL negative", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
                Arguments.of("CL hex", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\nabc"),
                Arguments.of("CL overflow", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\nabc"),
                Arguments.of("bare LF line ends", "GET /a HTTP/1.1\nHost: x\n\n"),
                Arguments.of("bare CR in a header", "GET /a HTTP/1.1\r\nHost: x\rX-Injected: y\r\n\r\n"),
                Arguments.of("NUL in a header value", "GET /a HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n"),
                Arguments.of("space in a header name", "GET /a HTTP/1.1\r\nHost: x\r\nX Bad: y\r\n\r\n"),
                Arguments.of("two Host headers", "GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"),
                Arguments.of("no Host in HTTP/1.1", "GET /a HTTP/1.1\r\nX: y\r\n\r\n"),
                Arguments.of("chunk size not hex", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("chunk size negative", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("chunk size overflow", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF1\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("chunk longer than its size", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("http1Corpus")
    void http1FramingAttacksAreRefusedAndNothingReachesTheUpstream(String name, String attack) throws Exception {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send(attack + SMUGGLED);
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).as(name).isIn(400, 501);
            assertThat(response.header("content-type")).as(name).startsWith("application/problem+json");
            assertThat(response.bodyText()).as(name).contains("\"status\":" + response.status());
            assertThat(client.isClosedByPeer()).as(name + ": a connection with broken framing is not reused").isTrue();
        }
        assertThat(upstream.pollRequest()).as(name + ": nothing reaches the upstream").isNull();
    }

    /**
     * What RFC 9112 lets a recipient either refuse or normalise, and the edge normalises: obs-fold is replaced by a
     * space (§5.2) and a chunk size's surrounding whitespace is ignored. Safe because the edge never forwards the
     * client's bytes: the upstream gets one header line and a body the edge framed itself.
     */
    static Stream<Arguments> normalisedCorpus() {
        return Stream.of(
                Arguments.of("obs-fold", "GET /a HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", "a b", ""),
                Arguments.of("Transfer-Encoding hidden in obs-fold", "POST /a HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n"
                        + " Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc", "a Transfer-Encoding: chunked", "abc"),
                Arguments.of("chunk size with leading space", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                        + "\r\nX-Folded: none\r\n\r\n 3\r\nabc\r\n0\r\n\r\n", "none", "abc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalisedCorpus")
    void whatTheRfcLetsTheEdgeNormaliseReachesTheUpstreamWellFramed(String name, String request, String folded,
                                                                    String body) throws Exception {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send(request);
            assertThat(client.read().status()).as(name).isEqualTo(200);
        }
        TestUpstream.Recorded received = upstream.takeRequest();
        assertThat(received.header("x-folded")).as(name).isEqualTo(folded);
        assertThat(received.bodyText()).as(name).isEqualTo(body);
        assertThat(received.header("transfer-encoding") == null || body.length() > 0).as(name).isTrue();
        assertThat(upstream.pollRequest()).as(name + ": one request, nothing smuggled").isNull();
    }

    static Stream<Arguments> h2Corpus() {
        return Stream.of(
                Arguments.of("transfer-encoding", headers("transfer-encoding", "chunked"), 3),
                Arguments.of("connection", headers("connection", "keep-alive"), 0),
                Arguments.of("keep-alive", headers("keep-alive", "timeout=5"), 0),
                Arguments.of("upgrade", headers("upgrade", "websocket"), 0),
                Arguments.of("te other than trailers", headers("te", "gzip"), 0),
                Arguments.of("CRLF in a value", headers("x-split", "a\r\nx-injected: b"), 0),
                Arguments.of("LF in a value", headers("x-split", "a\nGET /smuggled HTTP/1.1"), 0),
                Arguments.of("content-length longer than the body", headers("content-length", "10"), 5));
    }

    @ParameterizedTest(name = "h2 {0}")
    @MethodSource("h2Corpus")
    void http2RequestsWithHttp1FramingOrControlAreRefused(String name, Http2Headers extra, int bodyLength) throws Exception {
        try (H2cPriorKnowledgeClient client = new H2cPriorKnowledgeClient(edge.port())) {
            byte[] body = "x".repeat(bodyLength).getBytes(StandardCharsets.US_ASCII);
            try {
                H2cPriorKnowledgeClient.Response response = client.sendAsync("POST", "/a", extra, body).get(10, TimeUnit.SECONDS);
                assertThat(response.status()).as(name).isBetween(400, 499);
            } catch (ExecutionException refusedStream) {
                // RST_STREAM (PROTOCOL_ERROR) or GOAWAY: the stream was refused as malformed (RFC 9113 8.1.1)
            }
        }
        assertThat(upstream.pollRequest()).as(name + ": nothing reaches the upstream").isNull();
    }

    private static Http2Headers headers(String name, String value) {
        Http2Headers headers = new DefaultHttp2Headers(false);
        headers.add(name, value);
        return headers;
    }

}
