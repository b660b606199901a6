package io.atrium.policy.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A bounded in-memory {@link ResponseStore} on Caffeine: the size bound is in bytes (bodies plus headers, via a
 * weigher), entries expire when no variant is usable any more (fresh, or stale within its stale-if-error window),
 * and at most {@link #MAX_VARIANTS} variants are kept per key (the oldest goes first).
 */
public final class InMemoryResponseStore implements ResponseStore {

    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    public static final int MAX_VARIANTS = 8;

    private final Cache<CacheKey, Variants> entries;

    private record Variants(List<CachedResponse> responses, int weight, long usableUntilMillis) {

        static Variants of(List<CachedResponse> responses) {
            long weight = 0;
            long until = Long.MIN_VALUE;
            for (CachedResponse response : responses) {
                weight += response.weight();
                until = Math.max(until, response.usableUntilMillis());
            }
            return new Variants(List.copyOf(responses), (int) Math.min(Integer.MAX_VALUE, weight), until);
        }
    }

    public InMemoryResponseStore(long maxBytes) {
        // Maintenance on the calling (event-loop) thread: the default pool would be woken every few lookups.
        this(maxBytes, InstantSource.system(), Runnable::run);
    }

    /**
     * @param maxBytes the size bound (default {@link #DEFAULT_MAX_BYTES} when not positive)
     * @param clock the wall clock entries expire by (tests pass a manual one)
     * @param executor where Caffeine runs maintenance; null for its default (tests pass {@code Runnable::run})
     */
    public InMemoryResponseStore(long maxBytes, InstantSource clock, Executor executor) {
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .maximumWeight(maxBytes <= 0 ? DEFAULT_MAX_BYTES : maxBytes)
                .ticker(() -> clock.millis() * 1_000_000L);
        if (executor != null) {
            builder.executor(executor);
        }
        this.entries = builder
                .<CacheKey, Variants>weigher((key, variants) -> variants.weight() + 2 * key.value().length())
                .expireAfter(Expiry.<CacheKey, Variants>writing((key, variants) ->
                        java.time.Duration.ofMillis(Math.max(0, variants.usableUntilMillis() - clock.millis()))))
                .build();
    }

    @Override
    public List<CachedResponse> variants(CacheKey key) {
        Variants variants = entries.getIfPresent(key);
        return variants == null ? List.of() : variants.responses();
    }

    @Override
    public void put(CacheKey key, CachedResponse response) {
        entries.asMap().compute(key, (k, existing) -> {
            List<CachedResponse> responses = new ArrayList<>(existing == null ? 1 : existing.responses().size() + 1);
            if (existing != null) {
                for (CachedResponse other : existing.responses()) {
                    if (!other.sameVariant(response)) {
                        responses.add(other);
                    }
                }
            }
            while (responses.size() >= MAX_VARIANTS) {
                responses.removeFirst();
            }
            responses.add(response);
            return Variants.of(responses);
        });
    }

    @Override
    public void invalidate(CacheKey key) {
        entries.invalidate(key);
    }

    /** Approximate bytes held (after pending maintenance). */
    public long weightedSize() {
        entries.cleanUp();
        return entries.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** Keys held (after pending maintenance). */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }
}
