package io.atrium.policy.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event-loop threads (the edge has one per core) decide the same keys at once. The in-memory store decides a known key under the key's own
 * lock after a cache read (no cache write); this holds it to "decisions are atomic per key" under contention.
 */
class RateLimitStoreConcurrencyTest {

    @Test
    void threadsSharingAKeyAreAllowedExactlyTheBurstBetweenThem() throws Exception {
        AtomicLong now = new AtomicLong(5_000_000L); // frozen clock: no refill during the test
        InMemoryRateLimitStore store = new InMemoryRateLimitStore(1000, now::get);
        LimitSet limits = new LimitSet(List.of(Limit.of(2_000, Duration.ofHours(1))));
        int threads = 4;
        int perThread = 1_500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> allowed = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                allowed.add(pool.submit(() -> {
                    start.await();
                    int mine = 0;
                    for (int i = 0; i < perThread; i++) {
                        if (store.acquireNow("route:s:shared", limits).allowed()) {
                            mine++;
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : allowed) {
                total += f.get();
            }
            assertThat(total).isEqualTo(2_000);
            assertThat(store.acquireNow("route:s:shared", limits).remaining()).isZero();
            assertThat(store.acquireNow("route:s:other", limits).remaining()).as("keys are apart").isEqualTo(1_999);
        } finally {
            pool.shutdownNow();
        }
    }
}
