package io.atrium.graphql.testing;

import io.atrium.graphql.subgraph.FederatedSubgraph;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The BFF tests' sample graph ({@code /fixtures/stack/}): a products subgraph of eight products whose fields carry the
 * tags the views filter on ({@code internal}: price and a report, {@code web}: a badge).
 */
public final class StackFixtures {
    private StackFixtures() {
    }

    /** Products 1–8 (price 100 × upc), {@code topProducts(first)}, a sized {@code description}, entities by upc. */
    public static FederatedSubgraph products() {
        List<Map<String, Object>> catalogue = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            catalogue.add(Map.of("upc", Integer.toString(i), "name", "Product " + i, "price", 100 * i,
                    "webBadge", "web " + i));
        }
        return FederatedSubgraph.builder(resource("/fixtures/stack/products.graphql"))
                .field("Query", "topProducts", env -> catalogue.subList(0, Math.min(catalogue.size(),
                        env.<Integer>getArgument("first"))))
                .field("Query", "internalReport", env -> "secret")
                .field("Product", "description", env -> "A fine piece of furniture. ".repeat(env.<Integer>getArgument("repeat")))
                .entity("Product", rep -> catalogue.stream().filter(p -> p.get("upc").equals(rep.get("upc")))
                        .findFirst().orElse(null))
                .build();
    }

    /** A classpath resource as text. */
    public static String resource(String path) {
        try (InputStream in = StackFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
