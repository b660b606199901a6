package io.atrium.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.policy.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The Redis store's leases against a real redis-server on a random port: how many requests get through (never more
 * than the limit, from one instance or several), how many script calls Redis runs (read from the server's own
 * {@code INFO commandstats}), and what the answers say.
 */
class RedisLeaseIT {

    private static final Duration AWAIT = Duration.ofSeconds(15);
    /** Long periods: no refill while a test runs, so counts are exact. */
    private static final LimitSet HUNDRED_PER_HOUR = new LimitSet(List.of(Limit.of(100, Duration.ofHours(1))));
    private static final RedisRateLimitStore.Lease SHORT_LEASES = new RedisRateLimitStore.Lease(64, Duration.ofMillis(200));

    private int port;
    private RedisServer redis;
    private RedisClient admin;
    private StatefulRedisConnection<String, String> adminConnection;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = RedisRateLimitStoreIT.startRedisOn(port);
        admin = RedisClient.create("redis://127.0.0.1:" + port);
        adminConnection = admin.connect();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
        adminConnection.close();
        admin.shutdown();
        if (redis.isActive()) {
            redis.stop();
        }
    }

    private RedisRateLimitStore store(RedisRateLimitStore.Lease lease) {
        RedisRateLimitStore store = RedisRateLimitStore.connect(
                new RedisRateLimitStore.Config("redis://127.0.0.1:" + port, null, Duration.ofSeconds(2), Duration.ofMillis(500), lease));
        closeables.add(store);
        Await.until(AWAIT, "store connected", store::isAvailable);
        return store;
    }

    /** Script calls Redis has run so far (EVALSHA and EVAL). */
    private long scriptCalls() {
        String stats = adminConnection.sync().info("commandstats");
        long calls = 0;
        Matcher m = Pattern.compile("cmdstat_(?:evalsha|eval):calls=(\\d+)").matcher(stats);
        while (m.find()) {
            calls += Long.parseLong(m.group(1));
        }
        return calls;
    }

    private static RateLimitResult acquire(RateLimitStore store, String key, LimitSet limits) {
        return store.acquire(key, limits).toCompletableFuture().join();
    }

    /** Sends {@code perThread} requests from each of {@code threads} threads at once, spread over the stores; counts the allowed ones. */
    static int load(List<RedisRateLimitStore> stores, String key, LimitSet limits, int threads, int perThread) throws Exception {
        AtomicInteger passed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                RedisRateLimitStore store = stores.get(t % stores.size());
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    List<CompletableFuture<RateLimitResult>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(store.acquire(key, limits).toCompletableFuture());
                    }
                    mine.forEach(f -> {
                        if (f.join().allowed()) {
                            passed.incrementAndGet();
                        }
                    });
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        }
        return passed.get();
    }

    private long outstandingLeases(String key) {
        return adminConnection.sync().zcard("atrium:rl:{" + key + "}:100/3600000ms/b100:leases");
    }

    @Test
    void oneInstanceUnderConcurrentLoadAdmitsExactlyTheLimit() throws Exception {
        RedisRateLimitStore store = store(RedisRateLimitStore.Lease.DEFAULT);
        assertThat(load(List.of(store), "one", HUNDRED_PER_HOUR, 8, 50)).isEqualTo(100);
        assertThat(acquire(store, "one", HUNDRED_PER_HOUR).allowed()).isFalse();
    }

    @Test
    void twoInstancesUnderConcurrentLoadNeverAdmitMoreThanTheLimitAndGetTheRestOnceLeasesEnd() throws Exception {
        RedisRateLimitStore first = store(SHORT_LEASES);
        RedisRateLimitStore second = store(SHORT_LEASES);
        int passed = load(List.of(first, second), "two", HUNDRED_PER_HOUR, 8, 50);
        assertThat(passed).isLessThanOrEqualTo(100);

        // units still leased when the load stopped come back when the leases end; a third instance then gets exactly those
        Await.until(AWAIT, "every lease given back", () -> outstandingLeases("two") == 0);
        RedisRateLimitStore third = store(SHORT_LEASES);
        while (acquire(third, "two", HUNDRED_PER_HOUR).allowed()) {
            passed++;
        }
        assertThat(passed).isEqualTo(100);
    }

    @Test
    void aHighLimitCostsFarFewerScriptCallsThanRequests() {
        RedisRateLimitStore store = store(RedisRateLimitStore.Lease.DEFAULT);
        LimitSet high = new LimitSet(List.of(Limit.of(1_000_000, Duration.ofMinutes(1))));
        long before = scriptCalls();
        int requests = 2_000;
        for (int i = 0; i < requests; i++) {
            assertThat(acquire(store, "high", high).allowed()).isTrue();
        }
        long calls = scriptCalls() - before;
        // one call per lease of 64 units: ~32, plus at most one give-back per lease that ran out of time
        assertThat(calls).isLessThan(requests / 20);
    }

    @Test
    void unusedUnitsAreGivenBackWhenTheLeaseExpiresForAnotherInstanceToUse() {
        // the holder's lease outlives the other's 95 requests by far, and then expires
        RedisRateLimitStore holder = store(new RedisRateLimitStore.Lease(64, Duration.ofSeconds(3)));
        RedisRateLimitStore other = store(SHORT_LEASES);
        RateLimitResult taken = acquire(holder, "back", HUNDRED_PER_HOUR);
        assertThat(taken.allowed()).isTrue();
        assertThat(taken.remaining()).isEqualTo(99);
        assertThat(outstandingLeases("back")).as("remaining 100 / 16: a lease of 6, 5 of them held").isEqualTo(1);

        for (int i = 0; i < 94; i++) {
            assertThat(acquire(other, "back", HUNDRED_PER_HOUR).allowed()).as("request %d", i).isTrue();
        }
        assertThat(acquire(other, "back", HUNDRED_PER_HOUR).allowed()).as("the holder's 5 units are not the other's").isFalse();

        Await.until(AWAIT, "the holder gives its lease back", () -> outstandingLeases("back") == 0);
        RedisRateLimitStore third = store(SHORT_LEASES);
        int after = 0;
        while (acquire(third, "back", HUNDRED_PER_HOUR).allowed()) {
            after++;
        }
        assertThat(after).isEqualTo(5);
    }

    @Test
    void closingGivesEveryLeaseBack() {
        RedisRateLimitStore holder = store(new RedisRateLimitStore.Lease(64, Duration.ofMinutes(5)));
        assertThat(acquire(holder, "closing", HUNDRED_PER_HOUR).allowed()).isTrue();
        assertThat(outstandingLeases("closing")).isEqualTo(1);
        holder.close();
        assertThat(outstandingLeases("closing")).as("given back before close returns").isZero();
        RedisRateLimitStore other = store(RedisRateLimitStore.Lease.OFF);
        RateLimitResult next = acquire(other, "closing", HUNDRED_PER_HOUR);
        assertThat(next.remaining()).as("only the holder's one request is counted").isEqualTo(98);
    }

    @Test
    void aRefusalIsRememberedUntilItsRetryAfter() {
        RedisRateLimitStore store = store(RedisRateLimitStore.Lease.DEFAULT);
        LimitSet three = new LimitSet(List.of(Limit.of(3, Duration.ofHours(1))));
        for (int i = 0; i < 3; i++) {
            assertThat(acquire(store, "refused", three).allowed()).isTrue();
        }
        RateLimitResult refused = acquire(store, "refused", three);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isBetween(1199L, 1200L);
        long before = scriptCalls();
        for (int i = 0; i < 50; i++) {
            RateLimitResult again = acquire(store, "refused", three);
            assertThat(again.allowed()).isFalse();
            assertThat(again.retryAfterSeconds()).isBetween(1198L, 1200L);
            assertThat(again.limit()).isEqualTo(3);
        }
        assertThat(scriptCalls() - before).as("refused here, without asking Redis").isZero();
        assertThat(acquire(store, "other", three).allowed()).as("other keys are asked").isTrue();
    }

    @Test
    void leasesOffDecidesEveryRequestInRedis() {
        RedisRateLimitStore first = store(RedisRateLimitStore.Lease.OFF);
        RedisRateLimitStore second = store(RedisRateLimitStore.Lease.OFF);
        long before = scriptCalls();
        int passed = 0;
        for (int i = 0; i < 150; i++) {
            if (acquire(i % 2 == 0 ? first : second, "exact", HUNDRED_PER_HOUR).allowed()) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(100);
        assertThat(scriptCalls() - before).isEqualTo(150);
        assertThat(outstandingLeases("exact")).isZero();
    }

    @Test
    void remainingCountsDownByOneAcrossLeases() {
        RedisRateLimitStore store = store(RedisRateLimitStore.Lease.DEFAULT);
        LimitSet thousand = new LimitSet(List.of(Limit.of(1000, Duration.ofHours(10))));
        for (int i = 1; i <= 300; i++) {
            RateLimitResult result = acquire(store, "headers", thousand);
            assertThat(result.allowed()).isTrue();
            assertThat(result.limit()).isEqualTo(1000);
            assertThat(result.remaining()).as("request %d", i).isEqualTo(1000 - i);
            assertThat(result.resetSeconds()).isPositive();
        }
    }

    @Test
    void weightedRequestsSpendFromTheLeaseAndFallBackToRedisWhenTheyDoNotFit() {
        RedisRateLimitStore first = store(SHORT_LEASES);
        RedisRateLimitStore second = store(SHORT_LEASES);
        LimitSet budget = new LimitSet(List.of(Limit.of(10_000, Duration.ofHours(100))));
        long spent = 0;
        for (int i = 0; i < 40; i++) {
            long units = 1 + (i * 7) % 50;
            RateLimitResult result = (i % 2 == 0 ? first : second).acquire("cost", budget, units).toCompletableFuture().join();
            assertThat(result.allowed()).isTrue();
            spent += units;
        }
        Await.until(AWAIT, "every lease given back", () -> adminConnection.sync().zcard("atrium:rl:{cost}:10000/360000000ms/b10000:leases") == 0);
        RateLimitResult rest = store(RedisRateLimitStore.Lease.OFF).acquire("cost", budget, 10_000 - spent).toCompletableFuture().join();
        assertThat(rest.allowed()).as("exactly what was spent is counted").isTrue();
        assertThat(rest.remaining()).isZero();
    }

    @Test
    void aLeaseInHandIsSpentWhileRedisIsDown() {
        RedisRateLimitStore store = store(new RedisRateLimitStore.Lease(64, Duration.ofSeconds(30)));
        LimitSet high = new LimitSet(List.of(Limit.of(100_000, Duration.ofMinutes(1))));
        assertThat(acquire(store, "outage", high).allowed()).isTrue();
        redis.stop();
        for (int i = 0; i < 63; i++) {
            assertThat(acquire(store, "outage", high).allowed()).as("request %d, from the lease", i).isTrue();
        }
        assertThat(store.acquire("outage", high).toCompletableFuture()).failsWithin(AWAIT);
    }
}
