package io.atrium.router.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The router's admin listener: the registry's API (token-protected) and {@code GET /metrics} (Prometheus text, no
 * token, as on the edge's admin port). The JDK's HTTP server on its own port and threads: admin traffic is rare and
 * composing is blocking CPU work, so it runs here, on two threads of its own, never on the router's event loops.
 * Bodies are limited to {@value #MAX_BODY} bytes (413 beyond).
 */
public final class RegistryAdminServer implements AutoCloseable {
    static final int MAX_BODY = 8 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;

    private RegistryAdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts listening on {@code host:port} (port 0: any free port), without {@code /metrics}. */
    public static RegistryAdminServer start(String host, int port, RegistryAdminApi api) {
        return start(host, port, api, null);
    }

    /**
     * @param api     the registry's API, or null when the router follows no registry (then only {@code /metrics})
     * @param metrics the Prometheus text for {@code GET /metrics}, or null for none
     */
    public static RegistryAdminServer start(String host, int port, RegistryAdminApi api,
                                            java.util.function.Supplier<String> metrics) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
            ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "registry-admin");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            if (api != null) {
                server.createContext("/", exchange -> handle(exchange, api));
            }
            if (metrics != null) {
                server.createContext("/metrics", exchange -> metrics(exchange, metrics));
            }
            server.start();
            return new RegistryAdminServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("the registry admin listener cannot bind " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void metrics(HttpExchange exchange, java.util.function.Supplier<String> metrics) throws IOException {
        try (exchange) {
            boolean get = exchange.getRequestMethod().equals("GET");
            byte[] bytes = (get ? metrics.get() : "GET only\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (!get) {
                exchange.getResponseHeaders().set("Allow", "GET");
            }
            exchange.sendResponseHeaders(get ? 200 : 405, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void handle(HttpExchange exchange, RegistryAdminApi api) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            AdminResponse response = body.length > MAX_BODY
                    ? AdminResponse.problem(RegistryProblems.BODY_TOO_LARGE,
                    "request bodies are limited to " + MAX_BODY + " bytes", Map.of())
                    : api.handle(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Atrium-Actor"), body);
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            response.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(response.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
