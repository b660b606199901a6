package io.atrium.router.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport against a real HTTP/1.1-only server on loopback: headers as given, h2c asked for and declined. */
class HttpSubgraphTransportIT {
    private final List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private HttpSubgraphTransport transport;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/graphql", exchange -> {
            seen.add(Map.copyOf(exchange.getRequestHeaders()));
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"data\":{\"ok\":true}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        transport = new HttpSubgraphTransport();
    }

    @AfterEach
    void stop() {
        transport.close();
        server.stop(0);
    }

    private SubgraphResponse fetch(boolean h2c, Map<String, String> headers) throws Exception {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/graphql");
        return transport.fetch(new SubgraphRequest("s", url, "{ok}", null, Map.of(), Duration.ofSeconds(5), headers, h2c))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void sendsTheGivenHeaders() throws Exception {
        assertThat(fetch(false, Map.of("x-atrium-tenant", "acme")).data()).containsEntry("ok", true);
        assertThat(seen.getFirst()).containsEntry("X-atrium-tenant", List.of("acme")).doesNotContainKey("Upgrade");
    }

    @Test
    void h2cAsksForAnUpgradeAndFallsBackToHttp11WhenTheSubgraphDeclines() throws Exception {
        assertThat(fetch(true, Map.of()).data()).containsEntry("ok", true);
        assertThat(seen.getFirst()).containsEntry("Upgrade", List.of("h2c")).containsKey("Http2-settings");
    }

    @Test
    void severalClientsAnswerChainedFetchesLikeOne() throws Exception {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/graphql");
        try (HttpSubgraphTransport three = new HttpSubgraphTransport(3)) {
            SubgraphRequest request = new SubgraphRequest("s", url, "{ok}", null, Map.of(), Duration.ofSeconds(5), Map.of());
            // Each fetch starts the next from the callback (on a client's selector thread), as a plan's sequence does.
            java.util.concurrent.CompletableFuture<?>[] chains = new java.util.concurrent.CompletableFuture<?>[6];
            for (int i = 0; i < chains.length; i++) {
                chains[i] = three.fetch(request)
                        .thenCompose(first -> three.fetch(request))
                        .thenCompose(second -> three.fetch(request))
                        .toCompletableFuture();
            }
            java.util.concurrent.CompletableFuture.allOf(chains).get(10, TimeUnit.SECONDS);
            for (var chain : chains) {
                assertThat(((SubgraphResponse) chain.join()).data()).containsEntry("ok", true);
            }
            assertThat(seen).hasSize(18);
        }
    }
}
