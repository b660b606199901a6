package io.atrium.policy.cache;

import java.util.List;

/** Whether an upstream response may be stored. Closed. */
public sealed interface StoreDecision {

    /**
     * Store it once the body is complete ({@link ResponseCache#store}); abandon if the body grows beyond
     * {@link CacheConfig#maxEntryBytes()}.
     *
     * @param freshnessLifetimeMillis RFC 9111 §4.2.1 freshness lifetime
     * @param correctedInitialAgeMillis RFC 9111 §4.2.3 corrected initial age
     * @param staleIfErrorMillis how long after expiry it may be served when the upstream fails
     */
    record Store(CacheKey key, int status, List<io.atrium.policy.HttpHeader> headers, long responseTimeMillis,
                 long freshnessLifetimeMillis, long correctedInitialAgeMillis, long staleIfErrorMillis,
                 List<String> varyNames, List<String> varyValues) implements StoreDecision {
    }

    /** Do not store; {@code reason} is a low-cardinality snake_case constant (metric tag and log field). */
    record Skip(String reason) implements StoreDecision {
    }
}
