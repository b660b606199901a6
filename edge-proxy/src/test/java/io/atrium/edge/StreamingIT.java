package io.atrium.edge;

import io.atrium.edge.proxy.ProxyStats;
import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.Payload;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.edge.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 20 MiB bodies in both directions pass intact while the edge holds only a bounded amount of them: the consumer is
 * slower than the producer, so without streaming and backpressure the edge would buffer megabytes (an aggregator would
 * buffer all of it) and {@link ProxyStats#peakInFlightBodyBytes()} would exceed the bound.
 */
class StreamingIT {

    private static final long SIZE = 20L * 1024 * 1024;
    /** Write-buffer high water marks are 64 KiB per channel; a few reads in flight stay far below this. */
    private static final long BOUND = 1024 * 1024;

    private static TestUpstream upstream;
    private static Edge edge;

    @BeforeAll
    static void start() throws IOException {
        upstream = new TestUpstream();
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                limits: { response_write_timeout: 2s }   # the slow readers below keep taking bytes
                clusters:
                  files:
                    endpoints: [ "%s" ]
                routes:
                  - name: files
                    match: { path_prefix: /files }
                    cluster: files
                    auth: { public: true }
                    max_request_body: 64MiB       # the default (10 MiB) is below the 20 MiB these tests stream
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() throws IOException {
        edge.close();
        upstream.close();
    }

    @Test
    void largeRequestBodyStreamsToASlowUpstreamWithBoundedBuffering() throws Exception {
        ProxyStats stats = edge.dataPlane().stats();
        stats.resetPeak();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/files/sink-slowly"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Payload.stream(SIZE))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(Payload.sha256Hex(SIZE) + " " + SIZE);
        }
        upstream.takeRequest();
        System.out.printf("StreamingIT request: peak in-flight %d bytes for a %d byte body%n", stats.peakInFlightBodyBytes(), SIZE);
        assertThat(stats.peakInFlightBodyBytes()).isPositive().isLessThan(BOUND);
        assertThat(stats.inFlightBodyBytes()).isZero();
    }

    @Test
    void largeResponseBodyStreamsToASlowClientWithBoundedBuffering() throws Exception {
        ProxyStats stats = edge.dataPlane().stats();
        stats.resetPeak();
        try (RawHttpClient client = new RawHttpClient(edge.port(), 64 * 1024)) {
            client.send("GET /files/big/" + SIZE + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttpClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf(SIZE));
            assertThat(head.header("transfer-encoding")).isNull();

            assertThat(readSlowly(client.input(), SIZE)).isEqualTo(Payload.sha256Hex(SIZE));
        }
        System.out.printf("StreamingIT response: peak in-flight %d bytes for a %d byte body%n", stats.peakInFlightBodyBytes(), SIZE);
        assertThat(stats.peakInFlightBodyBytes()).isPositive().isLessThan(BOUND);
    }

    /**
     * A client that stops reading (limits.response_write_timeout, 2 s here): the edge holds only a bounded part of
     * the response meanwhile, then closes the connection — its in-flight bytes are released and the client, reading on,
     * finds the response cut short.
     */
    @Test
    void aClientThatStopsReadingIsDisconnectedAfterTheWriteTimeout() throws Exception {
        ProxyStats stats = edge.dataPlane().stats();
        try (RawHttpClient client = new RawHttpClient(edge.port(), 16 * 1024)) {
            client.send("GET /files/big/" + SIZE + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.readHead().status()).isEqualTo(200);
            InputStream in = client.input();
            long received = in.readNBytes(64 * 1024).length; // then nothing is read
            long stopped = System.nanoTime();
            long deadline = stopped + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!activeExchanges().equals("0.0") && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling for the edge to give up on the client (the exchange then ends)
            }
            assertThat(activeExchanges()).as("the stalled exchange ended").isEqualTo("0.0");
            assertThat(System.nanoTime() - stopped).as("not before the write timeout")
                    .isGreaterThanOrEqualTo(java.util.concurrent.TimeUnit.SECONDS.toNanos(2));
            assertThat(stats.inFlightBodyBytes()).as("its buffered bytes released").isZero();
            byte[] buffer = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received += n;
                }
            } catch (java.net.SocketException reset) {
                // a close with unread data arrives as a reset
            }
            assertThat(received).as("the response was cut short").isLessThan(SIZE);
        }
    }

    private static String activeExchanges() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.adminPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("atrium_edge_exchanges_active ")).map(l -> l.substring(l.indexOf(' ') + 1))
                    .findFirst().orElse("absent");
        }
    }

    /** Reads {@code size} bytes 32 KiB at a time with a pause in between: a client slower than the upstream. */
    private static String readSlowly(InputStream in, long size) throws IOException, InterruptedException {
        MessageDigest sha = Payload.sha256();
        byte[] buffer = new byte[32 * 1024];
        long remaining = size;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new IOException("response ended " + remaining + " bytes early");
            }
            sha.update(buffer, 0, n);
            remaining -= n;
            Thread.sleep(1);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
