package io.atrium.policy.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * The response cache of a route.
 *
 * @param maxEntryBytes responses with a larger body are not cached but streamed through (default 1 MiB, at most 64 MiB)
 * @param staleIfError how long after expiry a stored response may be served when the upstream fails, for responses
 *                     without their own {@code stale-if-error} directive (default 0: only responses that carry the
 *                     directive are served stale)
 * @param heuristicFreshnessMax the cap of heuristic freshness (10% of the time since {@code Last-Modified}) for
 *                              responses cacheable by default that carry no explicit freshness; 0 (default) stores
 *                              only responses with explicit freshness
 * @param authenticated true when the route requires an identity: a request without one is never served from or
 *                      stored in the cache (default false). Whatever this says, a request with an identity gets a
 *                      cache key of its own identity.
 */
public record CacheConfig(long maxEntryBytes, Duration staleIfError, Duration heuristicFreshnessMax, boolean authenticated) {

    public static final long DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;
    public static final long MAX_MAX_ENTRY_BYTES = 64L * 1024 * 1024;
    public static final CacheConfig DEFAULT = new CacheConfig(0, null, null, false);

    /** Null or non-positive arguments take their default. */
    public CacheConfig {
        maxEntryBytes = maxEntryBytes <= 0 ? DEFAULT_MAX_ENTRY_BYTES : maxEntryBytes;
        staleIfError = Objects.requireNonNullElse(staleIfError, Duration.ZERO);
        heuristicFreshnessMax = Objects.requireNonNullElse(heuristicFreshnessMax, Duration.ZERO);
        if (maxEntryBytes > MAX_MAX_ENTRY_BYTES) {
            throw new IllegalArgumentException("cache.max_entry_bytes must be at most " + MAX_MAX_ENTRY_BYTES);
        }
        if (staleIfError.isNegative() || heuristicFreshnessMax.isNegative()) {
            throw new IllegalArgumentException("cache.stale_if_error and cache.heuristic_freshness_max must not be negative");
        }
    }
}
