package io.atrium.policy.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Per-instance GCRA state: bounded (least recently used keys are evicted first) and expiring (a key's state is
 * dropped once its bucket is full again, when it no longer matters). Decisions are atomic per key.
 *
 * <p>A key seen before is decided under its state's own lock after a cache read, not with a cache write: writes make
 * the cache schedule maintenance, which cost a thread wake-up per request. A read therefore extends the entry's life
 * up front by more than the advance the decision may make (the longest emission interval). Entries live at least
 * {@link #RETENTION_MICROS} past their bucket's refill, so that a key under a high limit (whose TAT is always about
 * now) is not dropped and re-created between its requests; state kept longer is harmless, as a TAT in the past
 * decides like no state. Cache maintenance runs on the calling thread.
 */
public final class InMemoryRateLimitStore implements RateLimitStore {

    public static final int DEFAULT_MAXIMUM_KEYS = 100_000;
    static final long RETENTION_MICROS = 1_000_000L;

    private final Cache<String, State> states;
    private final LongSupplier nowMicros;

    /** The TATs of one key. Guarded by its own monitor; {@code retired} once the cache dropped it. */
    private static final class State {
        final long[] tats;
        /** How long the entry outlives {@link #expiresAt}: more than one allowed request can move it. */
        final long slack;
        long expiresAt;
        boolean retired;

        State(LimitSet limits, long units) {
            this.tats = new long[limits.size()];
            long max = RETENTION_MICROS;
            for (long emission : limits.emission) {
                max = Math.max(max, 2 * emission * units);
            }
            this.slack = max;
        }

        /** The decision at {@code now}, or null when this state no longer belongs to the cache or to these limits. */
        synchronized RateLimitResult acquire(LimitSet limits, long now, long units) {
            if (retired || tats.length != limits.size()) {
                return null;
            }
            RateLimitResult result = Gcra.result(limits, now, tats, units);
            if (result.allowed()) {
                Gcra.advance(limits, now, tats, units);
                long max = 0;
                for (long tat : tats) {
                    max = Math.max(max, tat);
                }
                expiresAt = max;
            }
            return result;
        }

        synchronized void retire() {
            retired = true;
        }

        /** Microseconds the entry has to live from {@code now}. */
        synchronized long lifetime(long now) {
            return Math.max(expiresAt, now) + slack - now;
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
                .expireAfter(new Expiry<String, State>() {
                    @Override
                    public long expireAfterCreate(String key, State state, long currentTime) {
                        return state.lifetime(InMemoryRateLimitStore.this.nowMicros.getAsLong()) * 1000;
                    }

                    @Override
                    public long expireAfterUpdate(String key, State state, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, state, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, State state, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, state, currentTime);
                    }
                })
                .evictionListener((String key, State state, RemovalCause cause) -> {
                    if (state != null) {
                        state.retire();
                    }
                })
                .executor(Runnable::run)
                .build();
    }

    /** Microseconds from a monotonic clock, always positive (0 means "no state" to {@link Gcra}). */
    private static LongSupplier monotonicMicros() {
        long origin = System.nanoTime();
        return () -> (System.nanoTime() - origin) / 1000 + 1_000_000L;
    }

    @Override
    public CompletionStage<RateLimitResult> acquire(String key, LimitSet limits, long units) {
        return CompletableFuture.completedFuture(acquireNow(key, limits, units));
    }

    /** The synchronous decision (this store never waits). */
    public RateLimitResult acquireNow(String key, LimitSet limits) {
        return acquireNow(key, limits, 1);
    }

    /** The synchronous decision for a request of {@code units} units. */
    public RateLimitResult acquireNow(String key, LimitSet limits, long units) {
        long now = nowMicros.getAsLong();
        State known = states.getIfPresent(key);
        if (known != null) {
            RateLimitResult result = known.acquire(limits, now, units);
            if (result != null) {
                return result;
            }
        }
        RateLimitResult[] result = new RateLimitResult[1];
        states.asMap().compute(key, (k, state) -> {
            State current = state;
            if (current == null || (result[0] = current.acquire(limits, now, units)) == null) {
                if (current != null) {
                    current.retire();
                }
                current = new State(limits, units);
                result[0] = current.acquire(limits, now, units);
            }
            // A refused first request leaves no state: it would only hold an empty bucket.
            return result[0].allowed() || state != null ? current : null;
        });
        return result[0];
    }
}
