package io.atrium.router.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.SubgraphSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubgraphRegistryTest {
    private static final String LINK = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.7\", "
            + "import: [\"@key\", \"@shareable\"])\n";
    private static final SubgraphSource PRODUCTS = new SubgraphSource("products", "http://products.invalid/graphql",
            LINK + "type Query { products: [Product] }\ntype Product @key(fields: \"id\") { id: ID! name: String price: Int }");
    private static final SubgraphSource REVIEWS = new SubgraphSource("reviews", "http://reviews.invalid/graphql",
            LINK + "type Product @key(fields: \"id\") { id: ID! reviews: [Review] }\ntype Review { body: String }");

    @TempDir
    Path dir;

    private SubgraphRegistry registry() {
        return new SubgraphRegistry(new FileRegistryStore(dir), Clock.systemUTC());
    }

    @Test
    void publishComposesAtOnceAndKeepsHistory() {
        SubgraphRegistry registry = registry();
        assertThat(registry.publish(PRODUCTS, "team-a")).isInstanceOf(RegistryResult.Applied.class);
        RegistryResult result = registry.publish(REVIEWS, "team-b");

        assertThat(result).isInstanceOf(RegistryResult.Applied.class);
        assertThat(((RegistryResult.Applied) result).version()).isEqualTo(2);
        assertThat(registry.supergraph().type("Product").field("reviews")).isNotNull();
        assertThat(registry.state().history()).extracting(HistoryEntry::action, HistoryEntry::subgraph, HistoryEntry::by)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("publish", "products", "team-a"),
                        org.assertj.core.groups.Tuple.tuple("publish", "reviews", "team-b"));
        assertThat(registry.publish(REVIEWS, "team-b")).isEqualTo(new RegistryResult.Unchanged(2));
    }

    @Test
    void aPublishThatBreaksCompositionIsRefusedAndChangesNothing() throws Exception {
        SubgraphRegistry registry = registry();
        registry.publish(PRODUCTS, "team-a");
        registry.publish(REVIEWS, "team-b");
        String before = Files.readString(dir.resolve("registry.json"));
        SubgraphSource clash = new SubgraphSource("reviews", "http://reviews.invalid/graphql",
                LINK + "type Product @key(fields: \"id\") { id: ID! name: Int }");

        RegistryResult result = registry.publish(clash, "team-b");

        assertThat(result).isInstanceOf(RegistryResult.Refused.class);
        assertThat(((RegistryResult.Refused) result).errors()).extracting(CompositionError::code)
                .contains("FIELD_TYPE_MISMATCH");
        assertThat(Files.readString(dir.resolve("registry.json"))).isEqualTo(before);
        assertThat(registry.state().version()).isEqualTo(2);
    }

    @Test
    void deletingTheSubgraphWithTheRootTypeIsRefused() {
        SubgraphRegistry registry = registry();
        registry.publish(PRODUCTS, "team-a");
        registry.publish(REVIEWS, "team-b");

        RegistryResult refused = registry.delete("products", "team-a");
        RegistryResult applied = registry.delete("reviews", "team-b");

        assertThat(refused).isInstanceOf(RegistryResult.Refused.class);
        assertThat(applied).isInstanceOf(RegistryResult.Applied.class);
        assertThat(registry.state().subgraphs()).containsOnlyKeys("products");
        assertThat(registry.delete("reviews", "team-b")).isEqualTo(new RegistryResult.NotFound("reviews"));
    }

    @Test
    void checkReportsBreakingChangesAndRegisteredOperationsThatWouldBreak() {
        SubgraphRegistry registry = registry();
        registry.publish(PRODUCTS, "team-a");
        registry.publish(REVIEWS, "team-b");
        assertThat(registry.publishOperations("web", List.of(new RegisteredOperation("op1", "Prices", "query",
                "query Prices { products { id price } }")), "web-team")).isInstanceOf(RegistryResult.Applied.class);
        SubgraphSource withoutPrice = new SubgraphSource("products", "http://products.invalid/graphql",
                LINK + "type Query { products: [Product] }\ntype Product @key(fields: \"id\") { id: ID! name: String }");
        SubgraphSource withStock = new SubgraphSource("products", "http://products.invalid/graphql",
                LINK + "type Query { products: [Product] }\n"
                        + "type Product @key(fields: \"id\") { id: ID! name: String price: Int stock: Int }");

        CheckReport removal = registry.check(withoutPrice, true);
        CheckReport addition = registry.check(withStock, false);

        assertThat(removal.passed()).isFalse();
        assertThat(removal.hasBreakingChanges()).isTrue();
        assertThat(removal.changes()).anySatisfy(change -> {
            assertThat(change.level()).isEqualTo(SchemaChange.Level.BREAKING);
            assertThat(change.coordinate()).isEqualTo("Product.price");
        });
        assertThat(removal.brokenOperations()).extracting(OperationFailure::client, OperationFailure::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", "op1"));
        assertThat(addition.passed()).isTrue();
        assertThat(addition.changes()).noneMatch(change -> change.level() == SchemaChange.Level.BREAKING);
        assertThat(registry.state().subgraphs().get("products").sdl()).isEqualTo(PRODUCTS.sdl());
    }

    @Test
    void aManifestWhoseOperationsDoNotValidateIsRefused() {
        SubgraphRegistry registry = registry();
        registry.publish(PRODUCTS, "team-a");

        RegistryResult result = registry.publishOperations("mobile", List.of(new RegisteredOperation("x", "Bad", "query",
                "query Bad { products { weight } }")), "mobile-team");

        assertThat(result).isInstanceOf(RegistryResult.Refused.class);
        assertThat(((RegistryResult.Refused) result).brokenOperations()).hasSize(1);
        assertThat(registry.state().operations()).isEmpty();
    }

    @Test
    void concurrentPublishersThroughSeparateStoresNeverLoseAnUpdate() throws Exception {
        registry().publish(PRODUCTS, "team-a");
        int writers = 2;
        int each = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                SubgraphRegistry own = registry(); // its own store object on the same directory
                start.await();
                for (int i = 0; i < each; i++) {
                    own.publish(new SubgraphSource("team" + writer, "http://team" + writer + ".invalid/graphql",
                            LINK + "type Product @key(fields: \"id\") { id: ID! field" + writer + "x" + i + ": Int }"),
                            "writer-" + writer);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();

        RegistryState state = new FileRegistryStore(dir).read();
        assertThat(state.version()).isEqualTo(1 + writers * each);
        assertThat(state.history()).hasSize(1 + writers * each);
        assertThat(state.subgraphs()).containsKeys("team0", "team1");
        assertThat(state.supergraphSdl()).contains("field0x" + (each - 1)).contains("field1x" + (each - 1));
    }
}
