package io.atrium.graphql.testing;

import com.sun.net.httpserver.HttpServer;
import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonWriter;
import io.atrium.graphql.subgraph.FederatedSubgraph;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real subgraph on loopback (graphql-kit's FederatedSubgraph behind the JDK's HTTP server); counts its requests and
 * answers with {@link #cacheControl} when set.
 */
public final class TestSubgraph implements AutoCloseable {
    private final HttpServer server;
    public final AtomicInteger requests = new AtomicInteger();
    /** The {@code Cache-Control} of its answers; null = none. */
    public volatile String cacheControl;

    @SuppressWarnings("unchecked")
    public TestSubgraph(FederatedSubgraph subgraph) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/graphql", exchange -> {
            requests.incrementAndGet();
            Map<String, Object> request = (Map<String, Object>) JsonReader.read(exchange.getRequestBody().readAllBytes());
            Map<String, Object> result = subgraph.execute((String) request.get("query"),
                    (String) request.get("operationName"), (Map<String, Object>) request.get("variables"))
                    .toCompletableFuture().join();
            byte[] body = JsonWriter.write(result);
            exchange.getResponseHeaders().set("content-type", "application/json");
            if (cacheControl != null) {
                exchange.getResponseHeaders().set("cache-control", cacheControl);
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
