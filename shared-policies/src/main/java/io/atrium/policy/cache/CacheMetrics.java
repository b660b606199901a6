package io.atrium.policy.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters of one route's response cache (tag {@code route}):
 * {@code atrium.cache.lookups} {outcome: hit, miss, stale (a miss with a stale fallback), bypass},
 * {@code atrium.cache.stores} {outcome: stored, or the skip reason such as no_store, private, too_large},
 * {@code atrium.cache.stale_served}.
 */
public final class CacheMetrics {

    private final MeterRegistry registry;
    private final String route;
    private final Counter hit;
    private final Counter miss;
    private final Counter stale;
    private final Counter bypass;
    private final Counter stored;
    private final Counter staleServed;
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();

    public CacheMetrics(MeterRegistry registry, String route) {
        this.registry = registry;
        this.route = route;
        this.hit = lookups("hit");
        this.miss = lookups("miss");
        this.stale = lookups("stale");
        this.bypass = lookups("bypass");
        this.stored = stores("stored");
        this.staleServed = Counter.builder("atrium.cache.stale_served").tag("route", route).register(registry);
    }

    private Counter lookups(String outcome) {
        return Counter.builder("atrium.cache.lookups").tag("route", route).tag("outcome", outcome).register(registry);
    }

    private Counter stores(String outcome) {
        return Counter.builder("atrium.cache.stores").tag("route", route).tag("outcome", outcome).register(registry);
    }

    void lookup(CacheLookup result) {
        switch (result) {
            case CacheLookup.Hit h -> hit.increment();
            case CacheLookup.Miss m when m.stale() != null -> stale.increment();
            case CacheLookup.Miss m -> miss.increment();
            case CacheLookup.Bypass b -> bypass.increment();
        }
    }

    void stored() {
        stored.increment();
    }

    /** {@code reason} is one of the fixed skip constants, so the tag stays low-cardinality. */
    void skipped(String reason) {
        skipped.computeIfAbsent(reason, this::stores).increment();
    }

    void staleServed() {
        staleServed.increment();
    }
}
