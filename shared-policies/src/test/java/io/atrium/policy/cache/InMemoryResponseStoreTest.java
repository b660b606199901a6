package io.atrium.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryResponseStoreTest {

    private final ManualClock clock = new ManualClock();

    private CachedResponse entry(int bodyBytes, long freshSeconds, String varyValue) {
        return new CachedResponse(200, List.of(), new byte[bodyBytes], clock.millis(), 0, freshSeconds * 1000, 0,
                List.of("accept"), List.of(varyValue));
    }

    @Test
    void theSizeBoundIsInBytes() {
        InMemoryResponseStore store = new InMemoryResponseStore(50_000, clock, Runnable::run);
        for (int i = 0; i < 100; i++) {
            store.put(new CacheKey("k" + i), entry(1_000, 60, "a"));
        }
        assertThat(store.weightedSize()).isLessThanOrEqualTo(50_000);
        assertThat(store.size()).isBetween(30L, 50L);
    }

    @Test
    void entriesExpireWhenNoVariantIsUsable() {
        InMemoryResponseStore store = new InMemoryResponseStore(0, clock, Runnable::run);
        CacheKey key = new CacheKey("k");
        store.put(key, entry(10, 10, "a"));
        store.put(key, entry(10, 30, "b"));
        store.put(key, entry(10, 20, "a"));
        assertThat(store.variants(key)).hasSize(2);
        clock.advance(Duration.ofSeconds(29));
        assertThat(store.variants(key)).hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.variants(key)).isEmpty();
    }

    @Test
    void keepsABoundedNumberOfVariants() {
        InMemoryResponseStore store = new InMemoryResponseStore(0, clock, Runnable::run);
        CacheKey key = new CacheKey("k");
        for (int i = 0; i < 20; i++) {
            store.put(key, entry(10, 60, "v" + i));
        }
        assertThat(store.variants(key)).hasSize(InMemoryResponseStore.MAX_VARIANTS);
        store.invalidate(key);
        assertThat(store.variants(key)).isEmpty();
    }
}
