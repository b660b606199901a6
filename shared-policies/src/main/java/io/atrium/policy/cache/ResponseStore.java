package io.atrium.policy.cache;

import java.util.List;

/**
 * The extension point for where responses are kept. Store-agnostic: the caching rules live in
 * {@link ResponseCache}; a store keeps, per primary key, the variants (one per {@code Vary} selection).
 * Implementations are thread-safe and must not block (an in-memory store; a remote one would answer from a local
 * near-cache and fill it asynchronously).
 */
public interface ResponseStore {

    /** The stored variants of {@code key}; empty when none. */
    List<CachedResponse> variants(CacheKey key);

    /** Stores {@code response}, replacing the variant of the same {@code Vary} selection. */
    void put(CacheKey key, CachedResponse response);

    /** Forgets every variant of {@code key}. */
    void invalidate(CacheKey key);
}
