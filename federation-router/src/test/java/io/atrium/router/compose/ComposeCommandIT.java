package io.atrium.router.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code subgraph_url} schema is introspected over HTTP ({@code _service { sdl }}) with the configured headers. */
class ComposeCommandIT {

    @Test
    void introspectsSubgraphUrlsWithTheirHeaders(@TempDir Path dir) throws Exception {
        AtomicReference<String> authorization = new AtomicReference<>();
        AtomicReference<String> query = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/graphql", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            query.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"data\":{\"_service\":{\"sdl\":\"type Query { hello: String }\"}}}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
            Path config = dir.resolve("supergraph.yaml");
            Files.writeString(config, """
                    subgraphs:
                      hello:
                        schema:
                          subgraph_url: %s
                          introspection_headers: { Authorization: "Bearer ${env.TOKEN}" }
                    """.formatted(url));
            List<SubgraphSource> sources = SupergraphConfig.load(config, name -> name.equals("TOKEN") ? "t0k" : null)
                    .sources(Duration.ofSeconds(5));
            assertThat(authorization.get()).isEqualTo("Bearer t0k");
            assertThat(query.get()).contains("_service").contains("sdl");
            assertThat(sources).containsExactly(new SubgraphSource("hello", url, "type Query { hello: String }"));
            var composed = (CompositionResult.Composed) Composer.compose(sources);
            assertThat(composed.supergraphSdl()).contains("@join__graph(name: \"hello\", url: \"" + url + "\")");
        } finally {
            server.stop(0);
        }
    }
}
