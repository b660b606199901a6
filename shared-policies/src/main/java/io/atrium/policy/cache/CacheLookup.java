package io.atrium.policy.cache;

import io.atrium.policy.HttpHeader;
import java.util.List;

/** What the cache has for a request. Closed. */
public sealed interface CacheLookup {

    /** Low-cardinality name, the {@code outcome} tag of {@code atrium.cache.lookups}. */
    String outcome();

    /**
     * Serve {@code response} with its headers plus {@code addedHeaders} ({@code Age}, {@code X-Cache: HIT});
     * do not call the upstream.
     */
    record Hit(CachedResponse response, List<HttpHeader> addedHeaders) implements CacheLookup {
        @Override
        public String outcome() {
            return "hit";
        }
    }

    /**
     * Not in the cache (or the request demands a fresh one): call the upstream, then offer the response with
     * {@link ResponseCache#decide}. {@code stale}, when not null, is a stored response that may be served instead
     * if the upstream fails ({@link ResponseCache#staleOnError}).
     */
    record Miss(CacheKey key, CachedResponse stale) implements CacheLookup {
        @Override
        public String outcome() {
            return stale == null ? "miss" : "stale";
        }
    }

    /** The cache does not apply to this request (method, {@code no-store}, missing identity): neither read nor store. */
    record Bypass(String reason) implements CacheLookup {
        @Override
        public String outcome() {
            return "bypass";
        }
    }
}
