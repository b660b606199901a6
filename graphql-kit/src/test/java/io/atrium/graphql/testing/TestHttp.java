package io.atrium.graphql.testing;

import io.atrium.graphql.json.JsonReader;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the BFFs' end-to-end tests do over HTTP: send, read a GraphQL answer's error code, await a condition. */
public final class TestHttp {
    private TestHttp() {
    }

    /** The answer as text; I/O failures and interrupts as unchecked exceptions (the test fails on them). */
    public static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The first GraphQL error's {@code extensions.code}, or null when the answer has none. */
    public static String code(HttpResponse<String> response) {
        if (response.body().isEmpty() || !(JsonReader.read(response.body()) instanceof Map<?, ?> map)
                || !(map.get("errors") instanceof List<?> errors) || errors.isEmpty()) {
            return null;
        }
        return String.valueOf(((Map<?, ?>) ((Map<?, ?>) errors.getFirst()).get("extensions")).get("code"));
    }

    /** Polls {@code condition} every 50 ms for up to 30 s; an {@link AssertionError} naming {@code what} after that. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
