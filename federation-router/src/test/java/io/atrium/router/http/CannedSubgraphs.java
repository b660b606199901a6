package io.atrium.router.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.atrium.router.json.Json;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * GraphQL subgraphs on one loopback server, each at {@code /<name>} answering {@code {"data": {"<name>": "<NAME>"}}}
 * to whatever it is sent, and telling the test what headers each call came with.
 */
final class CannedSubgraphs implements AutoCloseable {
    private final HttpServer server;

    /** @param onCall the subgraph's name and the headers of each call it receives */
    CannedSubgraphs(List<String> names, BiConsumer<String, Headers> onCall) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String name : names) {
            server.createContext("/" + name, exchange -> {
                exchange.getRequestBody().readAllBytes();
                onCall.accept(name, exchange.getRequestHeaders());
                byte[] body = Json.write(Map.of("data", Map.of(name, name.toUpperCase())));
                exchange.getResponseHeaders().set("content-type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
        }
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
