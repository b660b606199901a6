package io.atrium.systemtests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A misbehaving HTTP/1.1 server on a raw loopback socket, standing in for a subgraph or an upstream. Its {@link Mode}
 * can change between cases; every answer closes the connection ({@code Connection: close}), so each request is one
 * connection and {@link #connections()} counts the attempts a caller made.
 */
final class FaultServer implements AutoCloseable {

    enum Mode {
        /** 200 with {@link #okBody}. */
        OK,
        /** Reads the request, then waits {@link #SLOW_FOR} before answering 200: past every timeout of the callers. */
        SLOW,
        /** Reads the request, then resets the connection (RST: linger 0). */
        RESET,
        /** Reads the request, answers bytes that are not HTTP and closes. */
        GARBAGE,
        /** A proxy's HTML error page: 502 text/html. */
        HTML_502,
        /** An HTML page with 200 (a login page, a captive portal): not a GraphQL answer. */
        HTML_200,
        /** Alternates per connection: reset, then forward to {@link #twin} (a real subgraph), then reset ... */
        FLAP,
        /** Reads the request body slowly (8 KiB every 20 ms from a small receive buffer), then answers its length. */
        SLOW_READER
    }

    static final Duration SLOW_FOR = Duration.ofSeconds(4);

    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong lastBodyBytes = new AtomicLong(-1);
    private final HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Mode mode = Mode.OK;
    private volatile String okBody = "{\"ok\":true}";
    private volatile URI twin;
    private volatile boolean closed;

    FaultServer() throws IOException {
        server = new ServerSocket();
        server.setReceiveBufferSize(16 * 1024); // inherited by accepted sockets: a slow reader pushes back early
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        acceptor = Thread.ofPlatform().daemon().name("fault-server-" + server.getLocalPort()).start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    FaultServer mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    FaultServer okBody(String body) {
        this.okBody = body;
        return this;
    }

    FaultServer twin(URI twin) {
        this.twin = twin;
        return this;
    }

    int connections() {
        return connections.get();
    }

    /** Bytes of the last request body a {@link Mode#SLOW_READER} read, -1 before any. */
    long lastBodyBytes() {
        return lastBodyBytes.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                int n = connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(socket, n));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket, int n) {
        try (socket) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            long length = contentLength(head);
            Mode current = mode;
            OutputStream out = socket.getOutputStream();
            switch (current) {
                case OK -> {
                    readBody(in, length, false);
                    answer(out, 200, "application/json", okBody);
                }
                case SLOW -> {
                    readBody(in, length, false);
                    Thread.sleep(SLOW_FOR);
                    answer(out, 200, "application/json", okBody);
                }
                case RESET -> reset(socket, in, length);
                case GARBAGE -> {
                    readBody(in, length, false);
                    out.write("\u0000\u0001garbage: this is not HTTP\r\n\r\n{{{{".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                case HTML_502 -> {
                    readBody(in, length, false);
                    answer(out, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>");
                }
                case HTML_200 -> {
                    readBody(in, length, false);
                    answer(out, 200, "text/html", "<!DOCTYPE html><html><body>Please sign in</body></html>");
                }
                case FLAP -> {
                    if (n % 2 == 1) {
                        reset(socket, in, length);
                    } else {
                        forward(out, readBody(in, length, false));
                    }
                }
                case SLOW_READER -> {
                    long read = readBody(in, length, true).length;
                    lastBodyBytes.set(read);
                    answer(out, 200, "text/plain", "received " + read);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the caller gave up (its timeout) or the server is closing: nothing to answer
        }
    }

    private void forward(OutputStream out, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = forwarder.send(HttpRequest.newBuilder(twin)
                .timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        answer(out, response.statusCode(), "application/json", response.body());
    }

    private static void reset(Socket socket, InputStream in, long length) throws IOException {
        readBody(in, length, false);
        socket.setSoLinger(true, 0);
    }

    private static void answer(OutputStream out, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Bad Gateway") + "\r\n"
                + "Content-Type: " + type + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (head.size() < 64 * 1024) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return 0;
    }

    private static byte[] readBody(InputStream in, long length, boolean slowly) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[8 * 1024];
        while (body.size() < length) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, length - body.size()));
            if (n < 0) {
                break;
            }
            body.write(chunk, 0, n);
            if (slowly) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SocketException("interrupted");
                }
            }
        }
        return body.toByteArray();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        forwarder.close();
    }
}
