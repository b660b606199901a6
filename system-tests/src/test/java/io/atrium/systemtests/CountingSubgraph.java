package io.atrium.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real GraphQL subgraph of the tests (JDK HTTP server) that counts what reaches it: every {@code placeOrder}
 * mutation by its order id and by the listener it came in on, so a test can prove that a mutation was executed once
 * and name the router that sent it (each router is pointed at its own listener). Mutations can be held at a gate
 * until the test releases them: one is then in flight in a router while the test kills that router. Queries get one
 * canned answer (the router keeps the fields it selected); any other path is a plain upstream answering 200.
 */
final class CountingSubgraph implements AutoCloseable {

    static final String SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost"])
            type Query { widgets: [Widget] report: Int @cost(weight: 400000) }
            type Mutation { placeOrder(id: ID!): Order }
            type Widget @key(fields: "id") { id: ID! name: String }
            type Order { id: ID! }
            """;
    /** {@link #SDL} with one more field: a registry change. */
    static final String SDL_WITH_PRICE = SDL.replace("name: String }", "name: String price: Int }");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDER_ID = Pattern.compile("order-\\d+");
    private static final String QUERY_ANSWER =
            "{\"data\":{\"widgets\":[{\"id\":\"1\",\"name\":\"Table\",\"price\":120}],\"report\":7}}";

    private final List<HttpServer> servers;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** order id -> the listeners (by name) it arrived on, once per arrival. */
    private final Map<String, List<String>> mutations = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicInteger plainRequests = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    /** One listener per name (e.g. "a" and "b", one for each router), on free loopback ports. */
    CountingSubgraph(String... listenerNames) throws IOException {
        servers = new ArrayList<>();
        for (String name : listenerNames) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setExecutor(executor);
            server.createContext("/", exchange -> serve(name, exchange));
            server.start();
            servers.add(server);
        }
    }

    String url(int listener, String path) {
        return "http://127.0.0.1:" + servers.get(listener).getAddress().getPort() + path;
    }

    /** From now on mutations wait (at most 30 s) until {@link #releaseMutations()}. */
    void holdMutations() {
        gate = new CountDownLatch(1);
    }

    void releaseMutations() {
        gate.countDown();
    }

    /** The listeners an order's mutation arrived on, once per arrival (empty when it never came). */
    List<String> arrivals(String orderId) {
        return List.copyOf(mutations.getOrDefault(orderId, List.of()));
    }

    int queries() {
        return queries.get();
    }

    int plainRequests() {
        return plainRequests.get();
    }

    private void serve(String listener, HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (!exchange.getRequestURI().getPath().equals("/graphql")) {
                plainRequests.incrementAndGet();
                answer(exchange, "{\"ok\":true}");
                return;
            }
            JsonNode request = JSON.readTree(body);
            String document = request.path("query").asText();
            if (!document.contains("placeOrder")) {
                queries.incrementAndGet();
                answer(exchange, QUERY_ANSWER);
                return;
            }
            Matcher id = ORDER_ID.matcher(request.toString());
            String orderId = id.find() ? id.group() : "unknown";
            mutations.computeIfAbsent(orderId, k -> new CopyOnWriteArrayList<>()).add(listener);
            if (!gate.await(30, TimeUnit.SECONDS)) {
                return; // never released: the caller is long gone
            }
            answer(exchange, "{\"data\":{\"placeOrder\":{\"id\":\"" + orderId + "\"}}}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException callerGone) {
            // the router that asked was killed: nothing to answer to
        }
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        gate.countDown();
        for (HttpServer server : servers) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
