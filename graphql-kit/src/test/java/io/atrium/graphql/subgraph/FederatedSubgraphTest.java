package io.atrium.graphql.subgraph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FederatedSubgraphTest {
    private static final String SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@requires", "@external", "@tag"])

            type Query {
              greeting(name: String!): String @tag(name: "web")
            }

            type Product @key(fields: "upc") {
              upc: String!
              price: Int @external
              priceLabel(locale: String!): String @requires(fields: "price") @tag(name: "web")
            }
            """;

    private final FederatedSubgraph subgraph = FederatedSubgraph.builder(SDL)
            .field("Query", "greeting", env -> "hello " + env.getArgument("name"))
            .field("Product", "priceLabel", env -> {
                Map<String, Object> product = env.getSource();
                return env.getArgument("locale") + ":" + product.get("price");
            })
            .build();

    @Test
    void answersServiceSdlAsGiven() {
        Map<String, Object> result = subgraph.execute("{ _service { sdl } }", null, Map.of()).toCompletableFuture().join();
        assertThat(result).isEqualTo(Map.of("data", Map.of("_service", Map.of("sdl", SDL))));
    }

    @Test
    void resolvesEntitiesFromRepresentationsWithRequiredFields() {
        Map<String, Object> result = subgraph.execute("""
                        query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { upc priceLabel(locale: "de") } } }""",
                null, Map.of("r", List.of(Map.of("__typename", "Product", "upc", "1", "price", 899))))
                .toCompletableFuture().join();
        assertThat(result).isEqualTo(Map.of("data", Map.of("_entities",
                List.of(Map.of("upc", "1", "priceLabel", "de:899")))));
    }

    @Test
    void rootFieldsUseTheirFetchers() {
        Map<String, Object> result = subgraph.execute("{ greeting(name: \"ann\") }", null, Map.of())
                .toCompletableFuture().join();
        assertThat(result).isEqualTo(Map.of("data", Map.of("greeting", "hello ann")));
    }
}
