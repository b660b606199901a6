package io.atrium.policy.cache;

import io.atrium.policy.HttpHeader;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.PolicyRequest;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP caching rules of one route, for a shared cache (RFC 9111), independent of where responses are stored.
 * The edge asks {@link #lookup} before calling the upstream; on a miss it offers the response head to
 * {@link #decide}, buffers the body of a {@link StoreDecision.Store} up to {@link CacheConfig#maxEntryBytes()} while
 * streaming it to the client, and hands it to {@link #store}. Responses are never revalidated (no conditional
 * requests): what cannot be served without revalidation is not stored.
 *
 * <p>Thread-safe; nothing here blocks.
 */
public final class ResponseCache {

    public static final String X_CACHE = "X-Cache";
    public static final String AGE = "Age";
    public static final HttpHeader X_CACHE_MISS = new HttpHeader(X_CACHE, "MISS");
    public static final HttpHeader X_CACHE_HIT = new HttpHeader(X_CACHE, "HIT");
    /** Sent with a stale response served because the upstream failed. */
    public static final HttpHeader X_CACHE_STALE = new HttpHeader(X_CACHE, "STALE");

    /** RFC 9110 §15.1: statuses cacheable by default (heuristic freshness applies to them). */
    static final Set<Integer> CACHEABLE_BY_DEFAULT = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);
    /** Connection-specific headers never stored (RFC 9111 §3.1), plus those the cache sets itself. */
    private static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "age", "x-cache");

    private static final CacheLookup.Bypass BYPASS_METHOD = new CacheLookup.Bypass("method");
    private static final CacheLookup.Bypass BYPASS_NO_STORE = new CacheLookup.Bypass("request_no_store");
    private static final CacheLookup.Bypass BYPASS_ANONYMOUS = new CacheLookup.Bypass("anonymous_on_authenticated_route");

    private final CacheConfig config;
    private final ResponseStore store;
    private final InstantSource clock;
    private final CacheMetrics metrics;

    /**
     * @param metrics counters of this route, or null for none
     */
    public ResponseCache(CacheConfig config, ResponseStore store, InstantSource clock, CacheMetrics metrics) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    public CacheConfig config() {
        return config;
    }

    /** What the cache has for the request. */
    public CacheLookup lookup(PolicyContext context) {
        CacheLookup result = lookupUncounted(context);
        if (metrics != null) {
            metrics.lookup(result);
        }
        return result;
    }

    private CacheLookup lookupUncounted(PolicyContext context) {
        PolicyRequest request = context.request();
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return BYPASS_METHOD;
        }
        CacheControl requested = CacheControl.parse(request.headerValues("Cache-Control"));
        if (requested.noStore()) {
            return BYPASS_NO_STORE;
        }
        if (config.authenticated() && context.identity() == null) {
            return BYPASS_ANONYMOUS;
        }
        CacheKey key = CacheKey.of(context);
        CachedResponse found = variant(store.variants(key), request);
        if (found == null) {
            return new CacheLookup.Miss(key, null);
        }
        long now = clock.millis();
        boolean wantsFresh = requested.noCache() || requested.maxAge() == 0
                || (request.header("Cache-Control") == null && "no-cache".equalsIgnoreCase(request.header("Pragma")));
        boolean tooOld = requested.maxAge() > 0 && found.ageMillis(now) > requested.maxAge() * 1000;
        if (!wantsFresh && !tooOld && found.fresh(now)) {
            return new CacheLookup.Hit(found, List.of(new HttpHeader(AGE, Long.toString(found.ageMillis(now) / 1000)), X_CACHE_HIT));
        }
        return new CacheLookup.Miss(key, found.usableOnError(now) ? found : null);
    }

    private static CachedResponse variant(List<CachedResponse> variants, PolicyRequest request) {
        for (CachedResponse candidate : variants) {
            if (candidate.matches(varyValues(candidate.varyNames(), request))) {
                return candidate;
            }
        }
        return null;
    }

    /** The request's values of the {@code Vary} headers, whitespace-normalized; "" for an absent header. */
    static List<String> varyValues(List<String> names, PolicyRequest request) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<String> values = new ArrayList<>(names.size());
        for (String name : names) {
            List<String> lines = request.headerValues(name);
            StringBuilder joined = new StringBuilder();
            for (String line : lines) {
                for (String item : line.split(",")) {
                    String trimmed = item.trim();
                    if (!trimmed.isEmpty()) {
                        joined.append(joined.isEmpty() ? "" : ",").append(trimmed);
                    }
                }
            }
            values.add(joined.toString());
        }
        return values;
    }

    /**
     * Whether the upstream response to a {@link CacheLookup.Miss} may be stored (RFC 9111 §3), and with what
     * freshness.
     */
    public StoreDecision decide(CacheLookup.Miss miss, PolicyContext context, UpstreamResponse response) {
        StoreDecision decision = decideUncounted(miss.key(), context.request(), response);
        if (metrics != null && decision instanceof StoreDecision.Skip skip) {
            metrics.skipped(skip.reason());
        }
        return decision;
    }

    private StoreDecision decideUncounted(CacheKey key, PolicyRequest request, UpstreamResponse response) {
        if (!request.method().equals("GET")) {
            return skip("method"); // a HEAD response has no body to serve a later GET with
        }
        if (CacheControl.parse(request.headerValues("Cache-Control")).noStore()) {
            return skip("request_no_store");
        }
        int status = response.status();
        if (status < 200 || status == 206 || status == 304) {
            return skip("status");
        }
        CacheControl cc = CacheControl.parse(response.headerValues("Cache-Control"));
        if (cc.noStore()) {
            return skip("no_store");
        }
        if (cc.isPrivate()) {
            return skip("private");
        }
        if (cc.noCache()) {
            return skip("no_cache");
        }
        if (request.header("Authorization") != null && !cc.isPublic() && cc.sMaxAge() < 0 && !cc.mustRevalidate()) {
            return skip("authorization");
        }
        if (response.has("Set-Cookie")) {
            return skip("set_cookie"); // a shared cache must not hand one client's cookie to another
        }
        List<String> varyNames = varyNames(response.headerValues("Vary"));
        if (varyNames == null) {
            return skip("vary_star");
        }
        if (response.contentLength() > config.maxEntryBytes()) {
            return skip("too_large");
        }
        long now = clock.millis();
        long date = HttpDates.parse(response.header("Date"));
        long lifetime = freshnessLifetimeMillis(cc, response, date == HttpDates.INVALID ? now : date);
        if (lifetime < 0) {
            return skip("no_freshness");
        }
        long age = correctedInitialAgeMillis(response, date, now);
        if (lifetime <= age) {
            return skip("not_fresh");
        }
        return new StoreDecision.Store(key, status, storedHeaders(response), now, lifetime, age, staleIfErrorMillis(cc),
                varyNames, varyValues(varyNames, request));
    }

    /** RFC 9111 §4.2.1; -1 when the response has no explicit freshness and no heuristic applies. */
    private long freshnessLifetimeMillis(CacheControl cc, UpstreamResponse response, long date) {
        if (cc.sMaxAge() >= 0) {
            return cc.sMaxAge() * 1000;
        }
        if (cc.maxAge() >= 0) {
            return cc.maxAge() * 1000;
        }
        String expiresHeader = response.header("Expires");
        if (expiresHeader != null) {
            long expires = HttpDates.parse(expiresHeader);
            return expires == HttpDates.INVALID ? 0 : Math.max(0, expires - date);
        }
        long lastModified = HttpDates.parse(response.header("Last-Modified"));
        long heuristicMax = config.heuristicFreshnessMax().toMillis();
        if (heuristicMax > 0 && lastModified != HttpDates.INVALID && CACHEABLE_BY_DEFAULT.contains(response.status())) {
            return Math.min(heuristicMax, Math.max(0, date - lastModified) / 10);
        }
        return -1;
    }

    /** RFC 9111 §4.2.3 corrected_initial_age. */
    private static long correctedInitialAgeMillis(UpstreamResponse response, long date, long responseTime) {
        long apparentAge = date == HttpDates.INVALID ? 0 : Math.max(0, responseTime - date);
        long responseDelay = Math.max(0, responseTime - response.requestTimeMillis());
        long ageValue = CacheControl.seconds(trimmed(response.header("Age"))) * 1000;
        return Math.max(apparentAge, ageValue + responseDelay);
    }

    private long staleIfErrorMillis(CacheControl cc) {
        if (cc.mustRevalidate() || cc.proxyRevalidate()) {
            return 0;
        }
        if (cc.staleIfError() >= 0) {
            return cc.staleIfError() * 1000;
        }
        // s-maxage implies proxy-revalidate for a shared cache (RFC 9111 §5.2.2.10) unless stale-if-error says otherwise.
        return cc.sMaxAge() >= 0 ? 0 : config.staleIfError().toMillis();
    }

    /** The lower-case header names of {@code Vary}, or null for {@code Vary: *} (never matches). */
    private static List<String> varyNames(List<String> varyLines) {
        List<String> names = new ArrayList<>();
        for (String line : varyLines) {
            for (String item : line.split(",")) {
                String name = item.trim().toLowerCase(Locale.ROOT);
                if (name.equals("*")) {
                    return null;
                }
                if (!name.isEmpty() && !names.contains(name)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static List<HttpHeader> storedHeaders(UpstreamResponse response) {
        List<String> connectionNamed = new ArrayList<>();
        for (String line : response.headerValues("Connection")) {
            for (String item : line.split(",")) {
                connectionNamed.add(item.trim().toLowerCase(Locale.ROOT));
            }
        }
        List<HttpHeader> kept = new ArrayList<>(response.headers().size());
        for (HttpHeader header : response.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (!NOT_STORED.contains(name) && !connectionNamed.contains(name)) {
                kept.add(header);
            }
        }
        return kept;
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    private static StoreDecision.Skip skip(String reason) {
        return new StoreDecision.Skip(reason);
    }

    /**
     * Stores the complete body of a response {@link #decide} allowed to store. Returns false (and stores nothing)
     * when the body exceeds {@link CacheConfig#maxEntryBytes()}.
     */
    public boolean store(StoreDecision.Store decision, byte[] body) {
        if (body.length > config.maxEntryBytes()) {
            if (metrics != null) {
                metrics.skipped("too_large");
            }
            return false;
        }
        store.put(decision.key(), new CachedResponse(decision.status(), decision.headers(), body, decision.responseTimeMillis(),
                decision.correctedInitialAgeMillis(), decision.freshnessLifetimeMillis(), decision.staleIfErrorMillis(),
                decision.varyNames(), decision.varyValues()));
        if (metrics != null) {
            metrics.stored();
        }
        return true;
    }

    /**
     * After the upstream failed ({@code status} 500, 502, 503 or 504, or no response: pass 0), the stale response of
     * {@code miss} to serve instead, or null when there is none or its stale-if-error window has passed.
     * Serve it with {@link #staleHeaders(CachedResponse)}.
     */
    public CachedResponse staleOnError(CacheLookup.Miss miss, int status) {
        boolean upstreamFailed = status == 0 || status == 500 || status == 502 || status == 503 || status == 504;
        CachedResponse stale = miss.stale();
        if (!upstreamFailed || stale == null || !stale.usableOnError(clock.millis())) {
            return null;
        }
        if (metrics != null) {
            metrics.staleServed();
        }
        return stale;
    }

    /** Headers to add when serving {@code stale}: {@code Age} and {@code X-Cache: STALE}. */
    public List<HttpHeader> staleHeaders(CachedResponse stale) {
        return List.of(new HttpHeader(AGE, Long.toString(stale.ageMillis(clock.millis()) / 1000)), X_CACHE_STALE);
    }
}
