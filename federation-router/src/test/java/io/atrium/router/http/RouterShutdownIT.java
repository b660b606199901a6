package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Stopping the server (what SIGTERM does through Micronaut's shutdown) lets a request in flight finish. */
class RouterShutdownIT {

    @Test
    @SuppressWarnings("unchecked")
    void stopWaitsForTheRequestInFlightAndItIsAnsweredInFull() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer products = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        products.createContext("/graphql", exchange -> {
            exchange.getRequestBody().readAllBytes();
            arrived.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"data\":{\"topProducts\":[{\"name\":\"Table\"}]}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        products.setExecutor(java.util.concurrent.Executors.newSingleThreadExecutor());
        products.start();
        Map<String, Object> fixture = new Yaml().load(Files.readString(
                Path.of("src/test/resources/fixtures/demo/benchmark-query.yaml")));
        Path supergraph = Files.createTempFile("supergraph", ".graphql");
        Files.writeString(supergraph, (String) fixture.get("supergraph"));
        Path config = Files.createTempFile("router", ".yaml");
        Files.writeString(config, "format_version: 1\nhot_reload: false\nsubgraphs:\n  products:\n    url: http://127.0.0.1:"
                + products.getAddress().getPort() + "/graphql\n");
        EmbeddedServer router = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "atrium.router.config", config.toString(),
                "atrium.router.supergraph", supergraph.toString()));
        try (HttpClient client = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                    HttpRequest.newBuilder(router.getURI().resolve("/graphql"))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ topProducts { name } }\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(router::stop);
            // The listener closes at once (no new connections); the stop itself waits for the request in flight.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (router.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(router.isRunning()).isFalse();
            assertThat(stopped).isNotDone();
            release.countDown();

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"data\":{\"topProducts\":[{\"name\":\"Table\"}]}}");
            stopped.get(15, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            router.close();
            products.stop(0);
        }
    }
}
