package io.atrium.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.policy.Await;
import io.atrium.policy.Decision;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.TestRequest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** The Redis store against a real redis-server process started on a random port. */
class RedisRateLimitStoreIT {

    private static final Duration AWAIT = Duration.ofSeconds(15);

    private int port;
    private RedisServer redis;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = startRedisOn(port);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
        if (redis.isActive()) {
            redis.stop();
        }
    }

    /** A redis-server on {@code port} of 127.0.0.1 that keeps nothing on disk. */
    static RedisServer startRedisOn(int port) {
        RedisServer server = RedisServer.builder().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        return server;
    }

    private RedisRateLimitStore connectedStore() {
        // A generous timeout: this machine's cores are shared, and these tests are about atomicity, not latency.
        RedisRateLimitStore store = RedisRateLimitStore.connect(
                new RedisRateLimitStore.Config("redis://127.0.0.1:" + port, null, Duration.ofSeconds(2), Duration.ofMillis(500)));
        closeables.add(store);
        Await.until(AWAIT, "store connected", store::isAvailable);
        return store;
    }

    private static boolean allowed(RateLimitStore store, String key, LimitSet limits) {
        return store.acquire(key, limits).toCompletableFuture().join().allowed();
    }

    @Test
    void concurrentDecisionsLetExactlyTheLimitThrough() throws Exception {
        RedisRateLimitStore store = connectedStore();
        LimitSet limits = new LimitSet(List.of(Limit.of(50, Duration.ofMinutes(10))));
        int threads = 8;
        int perThread = 40;
        assertThat(RedisLeaseIT.load(List.of(store), "concurrent", limits, threads, perThread)).isEqualTo(50);
    }

    @Test
    void twoLimiterInstancesSharingOneRedisHoldOneGlobalLimit() {
        RedisRateLimitStore first = connectedStore();
        RedisRateLimitStore second = connectedStore();
        LimitSet limits = new LimitSet(List.of(Limit.of(30, Duration.ofMinutes(1)), Limit.of(1000, Duration.ofHours(1))));
        int passed = 0;
        for (int i = 0; i < 100; i++) {
            if (allowed(i % 2 == 0 ? first : second, "shared", limits)) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(30);

        RateLimitResult refused = second.acquire("shared", limits).toCompletableFuture().join();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo(30);
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 2L);
    }

    @Test
    void weightedRequestsFromTwoInstancesShareOneBudget() {
        RedisRateLimitStore first = connectedStore();
        RedisRateLimitStore second = connectedStore();
        LimitSet limits = new LimitSet(List.of(Limit.of(1000, Duration.ofMinutes(10))));
        RateLimitResult a = first.acquire("cost", limits, 700).toCompletableFuture().join();
        assertThat(a.allowed()).isTrue();
        assertThat(a.remaining()).isEqualTo(300);
        RateLimitResult b = second.acquire("cost", limits, 301).toCompletableFuture().join();
        assertThat(b.allowed()).isFalse();
        assertThat(b.retryAfterSeconds()).as("one unit per 600 ms").isBetween(1L, 2L);
        RateLimitResult c = second.acquire("cost", limits, 300).toCompletableFuture().join();
        assertThat(c.allowed()).isTrue();
        assertThat(c.remaining()).isZero();
        assertThat(first.acquire("cost", limits).toCompletableFuture().join().allowed()).isFalse();
    }

    @Test
    void resultsMatchTheGcraMath() {
        RedisRateLimitStore store = connectedStore();
        LimitSet limits = new LimitSet(List.of(Limit.perSecond(1000), Limit.of(3, Duration.ofHours(1))));
        RateLimitResult first = store.acquire("math", limits).toCompletableFuture().join();
        assertThat(first.allowed()).isTrue();
        assertThat(first.limit()).isEqualTo(3);
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(first.resetSeconds()).isEqualTo(1200);
        assertThat(allowed(store, "math", limits)).isTrue();
        assertThat(allowed(store, "math", limits)).isTrue();
        RateLimitResult refused = store.acquire("math", limits).toCompletableFuture().join();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isBetween(1199L, 1200L);
    }

    @Test
    void reloadsTheScriptAfterRedisForgetsIt() {
        RedisRateLimitStore store = connectedStore();
        LimitSet limits = new LimitSet(List.of(Limit.perSecond(100)));
        assertThat(allowed(store, "noscript", limits)).isTrue();

        RedisClient admin = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = admin.connect()) {
            connection.sync().scriptFlush();
        } finally {
            admin.shutdown();
        }
        assertThat(allowed(store, "noscript", limits)).isTrue();
    }

    @Test
    void failsOpenOrClosedWhileRedisIsDownAndRecoversWhenItReturns() {
        RedisRateLimitStore store = connectedStore();
        RateLimitPolicy open = new RateLimitPolicy("r", RateLimitConfig.of(new RateLimitKey.Route(), Limit.perSecond(1000)), store,
                ClientAddressResolver.untrusting());
        RateLimitPolicy closed = new RateLimitPolicy("r", new RateLimitConfig(new RateLimitKey.Route(), List.of(Limit.perSecond(1000)), null,
                RateLimitConfig.FailureMode.CLOSED), store, ClientAddressResolver.untrusting());
        PolicyContext context = TestRequest.get("/").context();
        assertThat(decide(open, context).outcome()).isEqualTo("allowed");

        redis.stop();
        Await.until(AWAIT, "the store notices the outage", () -> decide(open, context).outcome().equals("store_unavailable_open"));
        assertThat(decide(open, context)).isInstanceOf(Decision.Continue.class);
        Decision refused = decide(closed, context);
        assertThat(refused).isInstanceOfSatisfying(Decision.Reply.class, r -> assertThat(r.status()).isEqualTo(503));
        assertThat(store.isAvailable()).isFalse();

        redis = startRedisOn(port);
        Await.until(AWAIT, "Lettuce reconnects", () -> decide(closed, context).outcome().equals("allowed"));
        assertThat(decide(open, context).outcome()).isEqualTo("allowed");
        assertThat(store.isAvailable()).isTrue();
    }

    @Test
    void connectsWhenRedisComesUpAfterTheGateway() {
        redis.stop();
        RedisRateLimitStore store = RedisRateLimitStore.connect(RedisRateLimitStore.Config.of("redis://127.0.0.1:" + port));
        closeables.add(store);
        LimitSet limits = new LimitSet(List.of(Limit.perSecond(10)));
        assertThat(store.acquire("late", limits).toCompletableFuture()).failsWithin(AWAIT);

        redis = startRedisOn(port);
        Await.until(AWAIT, "first connection", () -> store.acquire("late", limits).toCompletableFuture()
                .handle((result, error) -> error == null).join());
    }

    private static Decision decide(RateLimitPolicy policy, PolicyContext context) {
        return policy.evaluate(context).toCompletableFuture().join();
    }
}
