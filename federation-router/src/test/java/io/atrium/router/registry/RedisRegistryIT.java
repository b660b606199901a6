package io.atrium.router.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.compose.SubgraphSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** Several router instances on one registry in a real redis-server: shared state, announcements, no lost update. */
class RedisRegistryIT {
    private static final String LINK = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.7\", "
            + "import: [\"@key\"])\n";
    private static final SubgraphSource PRODUCTS = new SubgraphSource("products", "http://products.invalid/graphql",
            LINK + "type Query { products: [Product] }\ntype Product @key(fields: \"id\") { id: ID! name: String }");

    private RedisServer redis;
    private int port;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = RedisServer.builder().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
        redis.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
        redis.stop();
    }

    private RedisRegistryStore store() {
        RedisRegistryStore store = RedisRegistryStore.connect("redis://127.0.0.1:" + port, "test:registry:",
                Duration.ofSeconds(5));
        closeables.add(store);
        return store;
    }

    @Test
    void aPublishOnOneInstanceReachesTheOthersFollower() throws Exception {
        SubgraphRegistry first = new SubgraphRegistry(store(), Clock.systemUTC());
        List<RegistryState> seen = new CopyOnWriteArrayList<>();
        CountDownLatch reviews = new CountDownLatch(1);
        // a long poll interval: the change must arrive through the announcement, not the poll
        closeables.add(RegistryFollower.start(store(), Duration.ofSeconds(60), state -> {
            seen.add(state);
            if (state.subgraphs().containsKey("reviews")) {
                reviews.countDown();
            }
        }));

        first.publish(PRODUCTS, "team-a");
        first.publish(new SubgraphSource("reviews", "http://reviews.invalid/graphql",
                LINK + "type Product @key(fields: \"id\") { id: ID! stars: Int }"), "team-b");

        assertThat(reviews.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.getLast().supergraphSdl()).contains("stars: Int");
        assertThat(seen).extracting(RegistryState::version).isSorted().doesNotHaveDuplicates();
        assertThat(new SubgraphRegistry(store(), Clock.systemUTC()).supergraph().type("Product").field("stars"))
                .isNotNull();
    }

    @Test
    void concurrentPublishesFromTwoInstancesAllLand() throws Exception {
        new SubgraphRegistry(store(), Clock.systemUTC()).publish(PRODUCTS, "team-a");
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            SubgraphRegistry instance = new SubgraphRegistry(store(), Clock.systemUTC());
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    instance.publish(new SubgraphSource("team" + writer, "http://team" + writer + ".invalid/graphql",
                            LINK + "type Product @key(fields: \"id\") { id: ID! f" + writer + "x" + i + ": Int }"), "w" + writer);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        RegistryState state = store().read();
        assertThat(state.version()).isEqualTo(1 + 2 * each);
        assertThat(state.history()).extracting(HistoryEntry::version).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 1 + 2 * each).boxed().toList());
        assertThat(state.supergraphSdl()).contains("f0x" + (each - 1)).contains("f1x" + (each - 1));
    }
}
