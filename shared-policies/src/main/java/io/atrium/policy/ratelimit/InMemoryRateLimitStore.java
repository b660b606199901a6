package io.atrium.policy.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Per-instance GCRA state: bounded (least recently used keys are evicted first) and expiring (a key's state is
 * dropped once its bucket is full again, when it no longer matters). Decisions are atomic per key.
 */
public final class InMemoryRateLimitStore implements RateLimitStore {

    public static final int DEFAULT_MAXIMUM_KEYS = 100_000;

    private final Cache<String, State> states;
    private final LongSupplier nowMicros;

    private static final class State {
        final long[] tats;
        long expiresAt;

        State(int size) {
            this.tats = new long[size];
        }
    }

    public InMemoryRateLimitStore(int maximumKeys) {
        this(maximumKeys, monotonicMicros());
    }

    /** @param nowMicros a monotonic clock in microseconds (tests pass a manual one) */
    public InMemoryRateLimitStore(int maximumKeys, LongSupplier nowMicros) {
        this.nowMicros = nowMicros;
        this.states = Caffeine.newBuilder()
                .maximumSize(maximumKeys <= 0 ? DEFAULT_MAXIMUM_KEYS : maximumKeys)
                .expireAfter(Expiry.<String, State>writing((key, state) ->
                        Duration.ofNanos(Math.max(0, state.expiresAt - this.nowMicros.getAsLong()) * 1000)))
                .build();
    }

    /** Microseconds from a monotonic clock, always positive (0 means "no state" to {@link Gcra}). */
    private static LongSupplier monotonicMicros() {
        long origin = System.nanoTime();
        return () -> (System.nanoTime() - origin) / 1000 + 1_000_000L;
    }

    @Override
    public CompletionStage<RateLimitResult> acquire(String key, LimitSet limits) {
        return CompletableFuture.completedFuture(acquireNow(key, limits));
    }

    /** The synchronous decision (this store never waits). */
    public RateLimitResult acquireNow(String key, LimitSet limits) {
        long now = nowMicros.getAsLong();
        RateLimitResult[] result = new RateLimitResult[1];
        states.asMap().compute(key, (k, state) -> {
            State current = state == null || state.tats.length != limits.size() ? new State(limits.size()) : state;
            result[0] = Gcra.result(limits, now, current.tats);
            if (result[0].allowed()) {
                Gcra.advance(limits, now, current.tats);
                long max = 0;
                for (long tat : current.tats) {
                    max = Math.max(max, tat);
                }
                current.expiresAt = max;
            } else if (state == null) {
                return null;
            }
            return current;
        });
        return result[0];
    }
}
