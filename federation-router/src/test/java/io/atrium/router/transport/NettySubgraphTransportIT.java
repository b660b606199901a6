package io.atrium.router.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.atrium.router.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Netty transport against real servers on loopback: the request it sends, keep-alive, failures, threads. */
class NettySubgraphTransportIT {
    private final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    /** Remote ports of the connections requests arrived on: one port per pooled connection. */
    private final Set<Integer> connections = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private NettySubgraphTransport transport;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/graphql", exchange -> {
            headers.add(Map.copyOf(exchange.getRequestHeaders()));
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            connections.add(exchange.getRemoteAddress().getPort());
            respond(exchange, 200, "{\"data\":{\"ok\":true},\"errors\":[{\"message\":\"partial\"}]}");
        });
        server.createContext("/slow", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "{\"data\":{}}");
        });
        server.createContext("/html", exchange -> respond(exchange, 502, "<html>bad gateway</html>"));
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        transport = new NettySubgraphTransport();
    }

    @AfterEach
    void stop() {
        release.countDown();
        transport.close();
        server.stop(0);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static SubgraphRequest request(URI url, Map<String, Object> variables, Duration timeout) {
        return new SubgraphRequest("s", url, "query Q($id: ID) { ok }", "Q", variables, timeout,
                Map.of("x-atrium-tenant", "acme"));
    }

    private SubgraphResponse fetch(SubgraphRequest request) throws Exception {
        return transport.fetch(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void postsGraphQLOverHttpWithTheGivenHeadersAndReadsDataAndErrors() throws Exception {
        SubgraphResponse response = fetch(request(url("/graphql"), Map.of("id", "1"), Duration.ofSeconds(5)));

        assertThat(response.data()).containsEntry("ok", true);
        assertThat(response.errors()).singleElement().satisfies(e -> assertThat(e).containsEntry("message", "partial"));
        assertThat(headers.getFirst())
                .containsEntry("X-atrium-tenant", List.of("acme"))
                .containsEntry("Content-type", List.of("application/json"))
                .containsEntry("Accept", List.of("application/graphql-response+json, application/json"))
                .containsEntry("Host", List.of("127.0.0.1:" + server.getAddress().getPort()));
        assertThat(Json.read(bodies.getFirst())).isEqualTo(Map.of(
                "query", "query Q($id: ID) { ok }", "operationName", "Q", "variables", Map.of("id", "1")));
    }

    /** Event loops standing in for the router server's: a fetch started on one uses that loop's connections. */
    private static io.netty.channel.EventLoopGroup serverLoops(int threads) {
        return new io.netty.channel.MultiThreadIoEventLoopGroup(threads,
                new io.netty.util.concurrent.DefaultThreadFactory("test-server-loop"), io.netty.channel.nio.NioIoHandler.newFactory());
    }

    /** Runs {@code work} on {@code loop} (as the router's server runs a request) and hands back its outcome. */
    private static <T> CompletableFuture<T> startOn(io.netty.channel.EventLoop loop,
                                                    java.util.function.Supplier<java.util.concurrent.CompletionStage<T>> work) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        loop.execute(() -> work.get().whenComplete((value, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(failure);
            } else {
                outcome.complete(value);
            }
        }));
        return outcome;
    }

    @Test
    void sequentialFetchesFromOneEventLoopReuseOneKeepAliveConnection() throws Exception {
        io.netty.channel.EventLoopGroup serverLoops = serverLoops(1);
        try {
            SubgraphRequest request = request(url("/graphql"), Map.of(), Duration.ofSeconds(5));
            for (int i = 0; i < 5; i++) {
                startOn(serverLoops.next(), () -> transport.fetch(request)).get(10, TimeUnit.SECONDS);
            }
            assertThat(bodies).hasSize(5);
            assertThat(connections).hasSize(1);
        } finally {
            serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void fetchesStartedOnAnEventLoopAreAnsweredOnItAndChainedFetchesStayThere() throws Exception {
        SubgraphRequest request = request(url("/graphql"), Map.of(), Duration.ofSeconds(5));
        io.netty.channel.EventLoopGroup serverLoops = serverLoops(2);
        try {
            java.util.List<CompletableFuture<List<String>>> chains = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // As the router's server does: the first fetch starts on the loop of the client's connection.
                chains.add(startOn(serverLoops.next(), () -> transport.fetch(request).thenCompose(first -> {
                    String afterFirst = Thread.currentThread().getName();
                    return transport.fetch(request).thenApply(second -> List.of(afterFirst, Thread.currentThread().getName()));
                })));
            }
            for (CompletableFuture<List<String>> chain : chains) {
                List<String> threads = chain.get(10, TimeUnit.SECONDS);
                assertThat(threads.get(0)).startsWith("test-server-loop").isEqualTo(threads.get(1));
            }
            assertThat(bodies).hasSize(12);
        } finally {
            serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void h2cSubgraphsGoThroughTheJdkClientWhichAsksForTheUpgrade() throws Exception {
        SubgraphRequest request = new SubgraphRequest("s", url("/graphql"), "{ok}", null, Map.of(), Duration.ofSeconds(5),
                Map.of(), true);
        assertThat(fetch(request).data()).containsEntry("ok", true);
        assertThat(headers.getFirst()).containsEntry("Upgrade", List.of("h2c"));
    }

    @Test
    void aSlowSubgraphTimesOutWithTheConfiguredTimeout() {
        assertThatThrownBy(() -> fetch(request(url("/slow"), Map.of(), Duration.ofMillis(200))))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SubgraphFetchException.class)
                .hasMessage("HTTP fetch failed from 's': timed out after 200 ms");
    }

    @Test
    void aBodyThatIsNotAGraphQLResponseFailsTheFetchNamingTheStatus() {
        assertThatThrownBy(() -> fetch(request(url("/html"), Map.of(), Duration.ofSeconds(5))))
                .cause().isInstanceOf(SubgraphFetchException.class)
                .hasMessage("HTTP fetch failed from 's': status 502, body is not JSON");
    }

    @Test
    void aRefusedConnectionFailsTheFetch() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        SubgraphRequest request = request(URI.create("http://127.0.0.1:" + port + "/graphql"), Map.of(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> fetch(request))
                .cause().isInstanceOf(SubgraphFetchException.class)
                .hasMessageStartingWith("HTTP fetch failed from 's': ");
    }

    /** A subgraph that answers each request with {@code Connection: close}, or drops the connection unanswered. */
    @Test
    void connectionCloseIsHonouredAndAConnectionDroppedMidRequestFailsTheFetchWithoutResending() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (ServerSocket raw = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!raw.isClosed()) {
                    try (Socket socket = raw.accept()) {
                        InputStream in = socket.getInputStream();
                        readRequest(in);
                        int n = requests.incrementAndGet();
                        OutputStream out = socket.getOutputStream();
                        if (n <= 2) {
                            byte[] body = ("{\"data\":{\"n\":" + n + "}}").getBytes(StandardCharsets.UTF_8);
                            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n"
                                    + "content-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(body);
                        }
                        out.flush();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            URI url = URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/graphql");
            assertThat(fetch(request(url, Map.of(), Duration.ofSeconds(5))).data()).containsEntry("n", 1);
            assertThat(fetch(request(url, Map.of(), Duration.ofSeconds(5))).data()).containsEntry("n", 2);
            assertThatThrownBy(() -> fetch(request(url, Map.of(), Duration.ofSeconds(5))))
                    .cause().isInstanceOf(SubgraphFetchException.class)
                    .hasMessage("HTTP fetch failed from 's': the connection closed before the response was complete");
            assertThat(requests).hasValue(3);
            raw.close();
            acceptor.join(5_000);
        }
    }

    /** Reads one request with a content-length body. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
    }
}
