package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.json.Json;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The actual cost of a response (its lists at their actual length) next to the estimate, in {@code extensions.cost}
 * and in the metrics, over real HTTP (item 5 of issue 10, second half).
 */
class CostExtensionsIT {
    private static HttpServer subgraph;
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        subgraph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        subgraph.createContext("/graphql", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = Json.write(Map.of("data", Map.of("products", List.of(Map.of("id", "1"), Map.of("id", "2")))));
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        subgraph.start();
        var composed = (CompositionResult.Composed) Composer.compose(List.of(new SubgraphSource("shop",
                "http://shop.invalid/graphql", """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                type Query { products: [Product] }
                type Product { id: ID! }
                """)));
        router = RouterUnderTest.start(RouterUnderTest.newDirectory(), composed.supergraphSdl(), """
                format_version: 1
                hot_reload: false
                demand_control: { enabled: true, actual_cost: true, extensions: true }
                subgraphs:
                  shop: { url: "http://127.0.0.1:%d/graphql" }
                """.formatted(subgraph.getAddress().getPort()));
    }

    @AfterAll
    static void stop() {
        router.close();
        subgraph.stop(0);
    }

    @Test
    void estimatedAndActualCostAreInTheExtensionsAndTheMetrics() throws Exception {
        var response = router.post(RouterUnderTest.queryBody("{ products { id } }"));
        assertThat(response.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) Json.read(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(body.get("data")).isEqualTo(Map.of("products", List.of(Map.of("id", "1"), Map.of("id", "2"))));
        // estimated: a list of the configured size 10 x Product 1; actual: the 2 products that came back
        assertThat(body.get("extensions")).isEqualTo(Map.of("cost", Map.of("estimated", 10, "actual", 2, "max", 100000)));
        assertThat(router.scrapeMetrics())
                .containsPattern("atrium_graphql_cost_actual_count [1-9]")
                .containsPattern("atrium_graphql_cost_estimated_sum [1-9]");
    }
}
