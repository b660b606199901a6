package io.atrium.systemtests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow-loris towards the client (issue #15 item 6): a client that reads a large response slowly or not at all. The
 * edge runs from its jar ({@code -Xmx256m}, exiting on an out-of-memory error) with {@code limits.response_write_timeout:
 * 2s} in front of {@link BigBodyServer}, whose {@code /big/<MiB>} answers stream that many MiB and record how far
 * they got.
 *
 * <ul>
 *   <li>A client that stops reading a 256 MiB response: the edge stops reading the upstream once the client's
 *       connection is not writable (backpressure: the upstream could write only a few MiB, far less than the edge's
 *       heap), keeps serving other clients meanwhile, and after 2 s without progress closes the client's connection
 *       and the upstream's (the upstream's write fails).</li>
 *   <li>A client that reads a few KiB at a time with pauses shorter than the timeout gets the whole response: the
 *       timeout is about progress, not the response's total time.</li>
 * </ul>
 * After each case the edge must be alive and healthy; at the end its log may hold no stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowClientIT {
    private static final int MIB = 1024 * 1024;
    /**
     * Progress is seen at the socket: the kernel's send buffer (loopback: up to 4 MiB) drains into the client unseen
     * until a third of it is free, so the timeout must exceed that at the steady reader's pace (~0.5 s here).
     */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private BigBodyServer upstream;
    private JavaProcess edge;
    private int edgePort;

    @BeforeAll
    void startEdge() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "system-tests", "slow-client-" + System.currentTimeMillis()))
                .toAbsolutePath();
        upstream = new BigBodyServer();
        edgePort = JavaProcess.freePort();
        int adminPort = JavaProcess.freePort();
        Files.writeString(work.resolve("edge.yaml"), """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: %d }
                limits: { response_write_timeout: %dms }
                clusters:
                  big: { endpoints: [ "%s" ], response_timeout: 5s }
                routes:
                  - { name: big, match: { path_prefix: / }, cluster: big, auth: { public: true } }
                """.formatted(edgePort, WRITE_TIMEOUT.toMillis(), upstream.url()));
        edge = JavaProcess.start("edge-proxy", "edge.jar", List.of(),
                Map.of("ATRIUM_PORT", Integer.toString(adminPort), "ATRIUM_EDGE_CONFIG", work.resolve("edge.yaml").toString()),
                work, URI.create("http://127.0.0.1:" + adminPort + "/health"));
        edge.awaitHealthy(http, Duration.ofSeconds(90));
    }

    @AfterEach
    void edgeStillHealthy() throws InterruptedException {
        assertThat(edge.alive()).as("edge alive (it exits on an out-of-memory error)").isTrue();
        assertThat(edge.healthStatus(http)).as("edge /health").isEqualTo(200);
    }

    @AfterAll
    void stop() throws Exception {
        List<String> stackTraces = edge == null || !edge.alive() ? List.of() : edge.stackTraceLines();
        if (edge != null) {
            edge.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        http.close();
        assertThat(stackTraces).as("stack traces logged for an expected fault").isEmpty();
    }

    @Test
    void aClientThatStopsReadingIsCutOffAfterTheWriteTimeoutWithoutTheEdgeBufferingTheResponse() throws Exception {
        long size = 256L * MIB;
        try (Socket client = slowSocket()) {
            client.getOutputStream().write("GET /big/256 HTTP/1.1\r\nHost: edge\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = client.getInputStream();
            byte[] first = in.readNBytes(64 * 1024); // the head and the start of the body, then nothing more is read
            assertThat(new String(first, 0, 15, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK");

            // Meanwhile the edge serves others promptly: its loop is not blocked and nothing waits for the slow client.
            long started = System.nanoTime();
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePort + "/small"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.body()).isEqualTo("small");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

            // The upstream's write fails once the edge gives up on the client and closes the upstream connection too.
            BigBodyServer.Outcome outcome = upstream.lastBig().get(15, TimeUnit.SECONDS);
            System.out.printf("SlowClientIT: the upstream wrote %d of %d bytes, cut off after %d ms%n",
                    outcome.bytesWritten(), size, outcome.endedAfter().toMillis());
            assertThat(outcome.completed()).as("the upstream's write was cut off").isFalse();
            // Backpressure: only what the sockets and the edge's small outbound buffer hold went out — a few MiB of
            // the 256 (socket buffers on loopback reach a few MiB each), far less than the edge's 256 MiB heap.
            assertThat(outcome.bytesWritten()).as("bytes the upstream could write").isLessThan(32L * MIB);
            assertThat(outcome.endedAfter()).as("cut off after the write timeout, not at once")
                    .isGreaterThanOrEqualTo(WRITE_TIMEOUT);

            // The client's connection was closed: reading on ends (EOF or reset) short of the body.
            long received = first.length + drain(in);
            assertThat(received).isLessThan(size);
        }
    }

    @Test
    void aClientReadingSlowlyButSteadilyGetsTheWholeResponse() throws Exception {
        long size = 8L * MIB;
        try (Socket client = slowSocket()) {
            client.getOutputStream().write("GET /big/8 HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = client.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("http/1.1 200").contains("content-length: " + size); // lower-cased
            long received = 0;
            long started = System.nanoTime();
            byte[] chunk = new byte[16 * 1024];
            while (received < size) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, size - received));
                if (n < 0) {
                    break;
                }
                received += n;
                if (received % (64 * 1024) < n) {
                    Thread.sleep(20); // at most ~3 MiB/s: the response takes longer than the write timeout, in steps
                }
            }
            assertThat(received).isEqualTo(size);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(WRITE_TIMEOUT);
            assertThat(upstream.lastBig().get(5, TimeUnit.SECONDS).completed()).isTrue();
        }
    }

    /** A client socket with a small receive buffer (set before connecting), so that not reading pushes back at once. */
    private Socket slowSocket() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4 * 1024);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), edgePort), 2000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Reads until the edge closes the connection (EOF or reset); the bytes read. */
    private static long drain(InputStream in) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (SocketException reset) {
            // closed with unread data: a reset is how the close arrives
        } catch (SocketTimeoutException notClosed) {
            throw new AssertionError("the edge kept the stalled client's connection open", notClosed);
        }
        return total;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed within the head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * An upstream whose {@code GET /big/<n>} answers n MiB (streamed, small send buffer) and records how far the write
     * got; any other path answers {@code small}. One connection per request.
     */
    private static final class BigBodyServer implements AutoCloseable {
        record Outcome(long bytesWritten, boolean completed, Duration endedAfter) {
        }

        private final ServerSocket server;
        private final AtomicReference<CompletableFuture<Outcome>> lastBig = new AtomicReference<>(new CompletableFuture<>());
        private volatile boolean closed;

        BigBodyServer() throws IOException {
            server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("big-body-server").start(this::accept);
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        /** The outcome of the latest {@code /big} answer (completes when its write ends either way). */
        CompletableFuture<Outcome> lastBig() {
            return lastBig.get();
        }

        private void accept() {
            while (!closed) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                socket.setSendBufferSize(16 * 1024);
                socket.setSoTimeout(30_000);
                String head = readHead(socket.getInputStream());
                String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                var out = socket.getOutputStream();
                if (!path.startsWith("/big/")) {
                    out.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\nconnection: close\r\n\r\nsmall"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                long size = Long.parseLong(path.substring(5)) * MIB;
                CompletableFuture<Outcome> outcome = new CompletableFuture<>();
                lastBig.set(outcome);
                out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: " + size
                        + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                byte[] chunk = new byte[64 * 1024];
                long written = 0;
                long started = System.nanoTime();
                try {
                    while (written < size) {
                        out.write(chunk);
                        written += chunk.length;
                    }
                    out.flush();
                    outcome.complete(new Outcome(written, true, Duration.ofNanos(System.nanoTime() - started)));
                } catch (IOException cutOff) {
                    outcome.complete(new Outcome(written, false, Duration.ofNanos(System.nanoTime() - started)));
                }
            } catch (IOException e) {
                // the caller went away before the head: nothing to record
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            server.close();
        }
    }
}
