package io.atrium.router.connector;

import com.sun.net.httpserver.HttpExchange;
import io.atrium.router.json.Json;
import java.io.IOException;

/** The JSON answers of the REST backends the connector tests start on loopback (JDK {@code HttpServer}). */
public final class JsonReplies {
    private JsonReplies() {
    }

    /** {@code application/json} for 2xx, {@code application/problem+json} otherwise. */
    public static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body);
        exchange.getResponseHeaders().add("content-type", status < 300 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
