package io.atrium.edge.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One endpoint of a test cluster on loopback whose behaviour a test switches: {@link Mode#OK} answers 200 with the
 * member's name, {@link Mode#FAIL} answers {@code failStatus} (also on {@code /health}), {@link Mode#SLOW} answers 200
 * after 2 s. {@link #kill()} stops the server so that connections are refused. Records every request but health probes.
 * The answer body is the member's name, followed by {@code :<consumer>} when the edge forwarded an identity.
 */
public final class ClusterMember implements AutoCloseable {

    public enum Mode { OK, FAIL, SLOW }

    public record Seen(String method, String path, String body) {
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger probes = new AtomicInteger();
    private final int port;
    private volatile Mode mode = Mode.OK;
    private volatile int failStatus = 503;
    private volatile boolean killed;
    private volatile String cacheControl = "max-age=60";

    public ClusterMember(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        port = server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public ClusterMember mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** The {@code Cache-Control} of its answers (default {@code max-age=60}). */
    public ClusterMember cacheControl(String value) {
        this.cacheControl = value;
        return this;
    }

    public ClusterMember failWith(int status) {
        this.failStatus = status;
        return mode(Mode.FAIL);
    }

    /** Requests received (health probes excluded). */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public long count(String method) {
        return seen.stream().filter(s -> s.method().equals(method)).count();
    }

    public int probes() {
        return probes.get();
    }

    public void clear() {
        seen.clear();
    }

    /** Stops listening: new connections are refused from now on. */
    public void kill() {
        if (!killed) {
            killed = true;
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            Mode current = mode;
            if (path.equals("/health")) {
                probes.incrementAndGet();
            } else {
                seen.add(new Seen(exchange.getRequestMethod(), path, new String(body, StandardCharsets.UTF_8)));
            }
            if (current == Mode.SLOW) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = current == Mode.FAIL ? failStatus : 200;
            String consumer = exchange.getRequestHeaders().getFirst("X-Atrium-Consumer");
            byte[] answer = (consumer == null ? name : name + ":" + consumer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Member", name);
            exchange.getResponseHeaders().set("Cache-Control", cacheControl);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : answer.length);
            if (!head) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    @Override
    public void close() {
        kill();
        executor.shutdownNow();
    }
}
