package io.atrium.systemtests;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A router process in registry mode, as its clients see it: GraphQL queries and the registry admin API. */
final class RouterClient {

    static final String TOKEN = "system-test-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final JavaProcess router;
    private final int port;
    private final int adminPort;

    RouterClient(HttpClient http, JavaProcess router, int port, int adminPort) {
        this.http = http;
        this.router = router;
        this.port = port;
        this.adminPort = adminPort;
    }

    HttpResponse<String> publish(String name, String routingUrl, String sdl) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("routing_url", routingUrl, "sdl", sdl));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/registry/subgraphs/" + name))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + TOKEN)
                .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET /registry/subgraphs, or null while the admin listener is not up yet; fails when the router exited. */
    HttpResponse<String> listSubgraphs() throws IOException, InterruptedException {
        if (!router.alive()) {
            throw new IllegalStateException("the router exited:\n" + router.tail());
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/registry/subgraphs"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException notListeningYet) {
            return null;
        }
    }

    /** Until the admin API answers: an empty registry has no supergraph, so /health is not 200 before a publish. */
    void awaitAdmin(Duration within) throws Exception {
        await(this::listSubgraphs, r -> r.statusCode() == 200, within);
    }

    /** POST /graphql with the query and any further headers (name, value, ...). */
    HttpResponse<String> query(String query, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .timeout(Duration.ofSeconds(15)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query))));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    interface Call {
        /** One attempt; null counts as "no answer yet". */
        HttpResponse<String> send() throws Exception;
    }

    /** Polls a call until its answer satisfies the condition (every 100 ms, bounded), not a fixed sleep. */
    static HttpResponse<String> await(Call call, Predicate<HttpResponse<String>> condition, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> response = call.send();
        while ((response == null || !condition.test(response)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = call.send();
        }
        assertThat(response).as("an answer within %s", within).isNotNull();
        assertThat(condition.test(response)).as("within %s: %d %s", within, response.statusCode(), response.body())
                .isTrue();
        return response;
    }
}
