package io.atrium.edge.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain upstream on loopback (the JDK's HTTP server), recording what reached it.
 * <ul>
 *   <li>{@code .../big/<bytes>}: answers that many bytes of {@link Payload} with a Content-Length.</li>
 *   <li>{@code .../sink-slowly}: reads the body in 64 KiB steps with a pause between them, answers its SHA-256 and size.</li>
 *   <li>anything else: echoes the body behind {@code echo:}, with a few hop-by-hop headers the edge must drop.</li>
 * </ul>
 */
public final class TestUpstream implements AutoCloseable {

    public record Recorded(String method, String uri, Map<String, List<String>> headers, byte[] body, int remotePort) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null ? null : String.join(",", values);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<Recorded> received = new LinkedBlockingQueue<>();

    public TestUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The next request the upstream received, waiting up to 5 s. */
    public Recorded takeRequest() throws InterruptedException {
        Recorded r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the upstream received no request within 5 s");
        }
        return r;
    }

    public Recorded pollRequest() {
        return received.poll();
    }

    public void clear() {
        received.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.endsWith("/sink-slowly")) {
                sinkSlowly(exchange);
            } else if (path.contains("/big/")) {
                big(exchange, Long.parseLong(path.substring(path.lastIndexOf('/') + 1)));
            } else {
                echo(exchange);
            }
        }
    }

    private void echo(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        record(exchange, body);
        byte[] answer = ("echo:" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "text/plain; charset=utf-8");
        headers.set("X-Upstream", "yes");
        headers.set("Connection", "X-Upstream-Hop");
        headers.set("X-Upstream-Hop", "must-not-reach-client");
        headers.set("Keep-Alive", "timeout=30");
        headers.set("Proxy-Connection", "keep-alive");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(200, head ? -1 : answer.length);
        if (!head) {
            exchange.getResponseBody().write(answer);
        }
    }

    private void big(HttpExchange exchange, long size) throws IOException {
        exchange.getRequestBody().readAllBytes();
        record(exchange, new byte[0]);
        exchange.sendResponseHeaders(200, size);
        try (OutputStream out = exchange.getResponseBody()) {
            Payload.write(out, size);
        }
    }

    private void sinkSlowly(HttpExchange exchange) throws IOException {
        MessageDigest sha = Payload.sha256();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = exchange.getRequestBody()) {
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                sha.update(buffer, 0, n);
                total += n;
                pause();
            }
        }
        record(exchange, new byte[0]);
        byte[] answer = (HexFormat.of().formatHex(sha.digest()) + " " + total).getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
    }

    /** Simulates a consumer slower than the network so that backpressure has to hold the producer back. */
    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(HttpExchange exchange, byte[] body) {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
        received.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body,
                exchange.getRemoteAddress().getPort()));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
