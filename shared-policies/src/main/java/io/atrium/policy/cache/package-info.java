/**
 * The HTTP response cache of a route (RFC 9111, shared cache), independent of the store, plus a bounded in-memory
 * store on Caffeine. Per request:
 * <pre>{@code
 * switch (cache.lookup(context)) {
 *     case CacheLookup.Hit hit -> serve hit.response() + hit.addedHeaders();       // Age, X-Cache: HIT
 *     case CacheLookup.Bypass bypass -> proxy as usual;
 *     case CacheLookup.Miss miss -> {
 *         proxy; on upstream failure (5xx / no response): CachedResponse stale = cache.staleOnError(miss, status)
 *             -> when not null serve it + cache.staleHeaders(stale)
 *         else: add ResponseCache.X_CACHE_MISS; switch (cache.decide(miss, context, upstreamResponseHead)) {
 *             case StoreDecision.Store store -> tee the body (up to config.maxEntryBytes()) then cache.store(store, body);
 *             case StoreDecision.Skip skip -> stream through;
 *         }
 *     }
 * }
 * }</pre>
 * Responses are never revalidated; what would need revalidation is not stored. A request with an identity has a
 * cache key of its own identity.
 */
package io.atrium.policy.cache;
