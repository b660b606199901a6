package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.H2cPriorKnowledgeClient;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.edge.testing.TestUpstream;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client timeouts ({@code limits.idle_timeout}, {@code request_header_timeout}, {@code request_body_timeout}) over raw
 * sockets, with short timeouts. The header timeout is shorter than the idle timeout, so which one fired is visible.
 */
class ClientTimeoutsIT {

    private static final long IDLE_MS = 1200;
    private static final long HEADER_MS = 300;
    private static final long BODY_MS = 300;

    private static TestUpstream upstream;
    private static Edge edge;

    @BeforeAll
    static void start() throws IOException {
        upstream = new TestUpstream();
        edge = Edge.start("""
                format_version: 1
                listeners: { http: { host: 127.0.0.1, port: 0 } }
                limits: { idle_timeout: %dms, request_header_timeout: %dms, request_body_timeout: %dms }
                clusters: { up: { endpoints: [ "%s" ] } }
                routes: [ { name: api, match: { path_prefix: /api }, cluster: up, auth: { public: true } } ]
                """.formatted(IDLE_MS, HEADER_MS, BODY_MS, upstream.url()));
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

    @Test
    void slowlorisRequestHeadGets408AndTheConnectionIsClosed() throws IOException {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            long start = System.nanoTime();
            client.send("GET /api/slow HTTP/1.1\r\nHost: x\r\nX-Partial: ");
            RawHttpClient.Response response = client.read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("content-type")).isEqualTo("application/problem+json");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(response.bodyText()).contains("\"code\":\"REQUEST_TIMEOUT\"");
            assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(HEADER_MS - 50).isLessThan(IDLE_MS);
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void aFreshConnectionMustSendItsFirstHeadWithinTheHeaderTimeout() throws IOException {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            long start = System.nanoTime();
            assertThat(client.read().status()).isEqualTo(408);
            assertThat(elapsedMs(start)).isLessThan(IDLE_MS);
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedQuietlyAfterTheIdleTimeout() throws IOException {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /api/a HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            long idleSince = System.nanoTime();

            // No 408 after the (shorter) header timeout: between requests only the idle timeout applies, and it closes
            // without a response.
            assertThat(client.isClosedByPeer()).isTrue();
            assertThat(elapsedMs(idleSince)).isGreaterThanOrEqualTo(IDLE_MS - 100);
        }
    }

    @Test
    void onAKeptAliveConnectionTheHeaderTimeoutStartsWithTheFirstByteOfTheNextHead() throws IOException {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /api/a HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);

            long start = System.nanoTime();
            client.send("GET /api/b HT");
            assertThat(client.read().status()).isEqualTo(408);
            assertThat(elapsedMs(start)).isLessThan(IDLE_MS);
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void aStalledRequestBodyGets408AndTheConnectionIsClosed() throws IOException {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            long start = System.nanoTime();
            client.send("POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial");
            RawHttpClient.Response response = client.read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.bodyText()).contains("\"code\":\"REQUEST_TIMEOUT\"").contains("body");
            assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(BODY_MS - 50);
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void aSlowButSteadyBodyIsNotCutOff() throws Exception {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("POST /api/steady HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n");
            for (int i = 0; i < 4; i++) {
                // Each pause is shorter than the body timeout, the whole body takes longer than it.
                TimeUnit.MILLISECONDS.sleep(BODY_MS / 2);
                client.send("x");
            }
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("echo:xxxx");
        }
    }

    @Test
    void anIdleHttp2ConnectionGetsGoAwayAndIsClosed() throws Exception {
        try (H2cPriorKnowledgeClient client = new H2cPriorKnowledgeClient(edge.port())) {
            assertThat(client.send("GET", "/api/h2", new DefaultHttp2Headers(), null).status()).isEqualTo(200);
            long idleSince = System.nanoTime();

            client.goAway().get(10, TimeUnit.SECONDS);
            client.closed().get(10, TimeUnit.SECONDS);
            assertThat(elapsedMs(idleSince)).isGreaterThanOrEqualTo(IDLE_MS - 100);
        }
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
