package io.atrium.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GcraTest {

    private static final long SECOND = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final InMemoryRateLimitStore store = new InMemoryRateLimitStore(1000, now::get);

    private RateLimitResult hit(LimitSet limits) {
        return store.acquireNow("k", limits);
    }

    @Test
    void burstIsAllowedAtOnceThenRefused() {
        LimitSet limits = new LimitSet(List.of(Limit.perSecond(5)));
        for (int i = 0; i < 5; i++) {
            RateLimitResult result = hit(limits);
            assertThat(result.allowed()).isTrue();
            assertThat(result.remaining()).isEqualTo(4 - i);
            assertThat(result.limit()).isEqualTo(5);
        }
        RateLimitResult refused = hit(limits);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.resetSeconds()).isEqualTo(1);
    }

    @Test
    void aWeightedRequestCountsAsThatManyAndIsRefusedWholeWhenTheyAreNotAllLeft() {
        LimitSet limits = new LimitSet(List.of(Limit.of(100, Duration.ofSeconds(10))));
        RateLimitResult first = store.acquireNow("k", limits, 60);
        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).isEqualTo(40);
        RateLimitResult refused = store.acquireNow("k", limits, 41);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).as("one unit refills every 100 ms").isEqualTo(1);
        assertThat(store.acquireNow("k", limits, 40).remaining()).as("the refused request took nothing").isZero();
        now.addAndGet(SECOND / 10 * 5);
        assertThat(store.acquireNow("k", limits, 6).allowed()).isFalse();
        assertThat(store.acquireNow("k", limits, 5).allowed()).isTrue();
        assertThat(store.acquireNow("other", limits, 101).allowed()).as("heavier than the whole burst").isFalse();
    }

    @Test
    void steadyRateRefillsOneRequestPerEmissionInterval() {
        LimitSet limits = new LimitSet(List.of(Limit.perSecond(10)));
        for (int i = 0; i < 10; i++) {
            assertThat(hit(limits).allowed()).isTrue();
        }
        assertThat(hit(limits).allowed()).isFalse();
        now.addAndGet(SECOND / 10 - 1);
        assertThat(hit(limits).allowed()).as("just before the interval").isFalse();
        now.addAndGet(1);
        assertThat(hit(limits).allowed()).isTrue();
        assertThat(hit(limits).allowed()).isFalse();

        // At exactly the steady rate, every request passes.
        for (int i = 0; i < 50; i++) {
            now.addAndGet(SECOND / 10);
            assertThat(hit(limits).allowed()).isTrue();
        }
    }

    @Test
    void resetCountsUntilTheBucketIsFull() {
        LimitSet limits = new LimitSet(List.of(Limit.of(60, Duration.ofMinutes(1))));
        RateLimitResult first = hit(limits);
        assertThat(first.resetSeconds()).isEqualTo(1);
        for (int i = 0; i < 29; i++) {
            hit(limits);
        }
        RateLimitResult thirtieth = store.acquireNow("k", limits);
        assertThat(thirtieth.remaining()).isEqualTo(29);
        assertThat(thirtieth.resetSeconds()).isEqualTo(31);

        now.addAndGet(10 * SECOND);
        assertThat(hit(limits).remaining()).isEqualTo(38);
    }

    @Test
    void severalLimitsTheMostRestrictiveDecides() {
        LimitSet limits = new LimitSet(List.of(Limit.perSecond(20), Limit.of(30, Duration.ofHours(1))));
        for (int i = 0; i < 20; i++) {
            RateLimitResult result = hit(limits);
            assertThat(result.allowed()).isTrue();
            assertThat(result.limit()).as("the per-second limit has fewer remaining").isEqualTo(20);
        }
        RateLimitResult perSecondExhausted = hit(limits);
        assertThat(perSecondExhausted.allowed()).isFalse();
        assertThat(perSecondExhausted.limit()).isEqualTo(20);
        assertThat(perSecondExhausted.retryAfterSeconds()).isEqualTo(1);

        now.addAndGet(SECOND);
        int allowed = 0;
        RateLimitResult last = null;
        for (int i = 0; i < 20; i++) {
            last = hit(limits);
            if (last.allowed()) {
                allowed++;
            }
        }
        assertThat(allowed).as("the hourly limit has 10 left").isEqualTo(10);
        assertThat(last.allowed()).isFalse();
        assertThat(last.limit()).isEqualTo(30);
        assertThat(last.retryAfterSeconds()).as("one hourly emission interval (120 s) minus the second elapsed").isEqualTo(119);
    }

    @Test
    void refusedRequestsAreNotCounted() {
        LimitSet limits = new LimitSet(List.of(Limit.perSecond(1), Limit.of(3, Duration.ofHours(1))));
        assertThat(hit(limits).allowed()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(hit(limits).allowed()).isFalse();
        }
        now.addAndGet(SECOND);
        RateLimitResult second = hit(limits);
        assertThat(second.allowed()).as("the hourly limit was not drained by refused requests").isTrue();
        assertThat(second.remaining()).isZero();
    }

    @Test
    void burstCanDifferFromTheRate() {
        LimitSet limits = new LimitSet(List.of(new Limit(10, Duration.ofSeconds(1), 2)));
        assertThat(hit(limits).allowed()).isTrue();
        assertThat(hit(limits).allowed()).isTrue();
        assertThat(hit(limits).allowed()).isFalse();
        now.addAndGet(SECOND / 10);
        assertThat(hit(limits).allowed()).isTrue();
    }

    @Test
    void keysAreIndependentAndStateExpires() {
        LimitSet limits = new LimitSet(List.of(Limit.perSecond(1)));
        assertThat(store.acquireNow("a", limits).allowed()).isTrue();
        assertThat(store.acquireNow("b", limits).allowed()).isTrue();
        assertThat(store.acquireNow("a", limits).allowed()).isFalse();
        now.addAndGet(SECOND);
        assertThat(store.acquireNow("a", limits).allowed()).isTrue();
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> Limit.perSecond(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Limit.of(1, Duration.ZERO)).hasMessageContaining("period");
        assertThatThrownBy(() -> new LimitSet(List.of())).hasMessageContaining("at least one");
    }
}
