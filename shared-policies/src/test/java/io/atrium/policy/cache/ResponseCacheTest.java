package io.atrium.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.policy.HttpHeader;
import io.atrium.policy.Identity;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.TestRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseCacheTest {

    private final ManualClock clock = new ManualClock();
    private final InMemoryResponseStore store = new InMemoryResponseStore(1024 * 1024, clock, Runnable::run);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResponseCache cache = new ResponseCache(new CacheConfig(1000, null, null, false), store, clock,
            new CacheMetrics(registry, "catalog"));

    private String date(Duration offset) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plus(offset).atOffset(ZoneOffset.UTC));
    }

    private static List<HttpHeader> headers(String... nameValues) {
        List<HttpHeader> list = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            list.add(new HttpHeader(nameValues[i], nameValues[i + 1]));
        }
        return list;
    }

    private UpstreamResponse response(int status, String... nameValues) {
        List<HttpHeader> list = headers(nameValues);
        if (list.stream().noneMatch(h -> h.name().equals("Date"))) {
            list.add(new HttpHeader("Date", date(Duration.ZERO)));
        }
        return new UpstreamResponse(status, list, -1, clock.millis());
    }

    private CacheLookup.Miss miss(PolicyContext context) {
        return (CacheLookup.Miss) cache.lookup(context);
    }

    /** Looks up (a miss), offers the response and stores it with {@code body}; returns the decision. */
    private StoreDecision fetchAndStore(PolicyContext context, UpstreamResponse response, String body) {
        StoreDecision decision = cache.decide(miss(context), context, response);
        if (decision instanceof StoreDecision.Store store) {
            cache.store(store, body.getBytes(StandardCharsets.UTF_8));
        }
        return decision;
    }

    // --- the table: request headers, response status and headers -> store (with freshness) or the skip reason ---

    record Case(String name, String method, List<String> request, int status, List<String> response, String expected, long freshSeconds) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> storeCases() {
        return Stream.of(
                new Case("max-age", "GET", List.of(), 200, List.of("Cache-Control", "max-age=60"), "store", 60),
                new Case("s-maxage wins over max-age", "GET", List.of(), 200, List.of("Cache-Control", "max-age=60, s-maxage=30"), "store", 30),
                new Case("max-age wins over Expires", "GET", List.of(), 200, List.of("Cache-Control", "max-age=5", "Expires", "+120"), "store", 5),
                new Case("Expires minus Date", "GET", List.of(), 200, List.of("Expires", "+120"), "store", 120),
                new Case("invalid Expires is in the past", "GET", List.of(), 200, List.of("Expires", "0"), "not_fresh", 0),
                new Case("quoted max-age", "GET", List.of(), 200, List.of("Cache-Control", "max-age=\"60\""), "store", 60),
                new Case("malformed max-age is stale", "GET", List.of(), 200, List.of("Cache-Control", "max-age=soon"), "not_fresh", 0),
                new Case("no explicit freshness", "GET", List.of(), 200, List.of("Last-Modified", "-864000"), "no_freshness", 0),
                new Case("explicit freshness makes a 500 storable", "GET", List.of(), 500, List.of("Cache-Control", "max-age=10"), "store", 10),
                new Case("404 cacheable", "GET", List.of(), 404, List.of("Cache-Control", "max-age=10"), "store", 10),
                new Case("partial content", "GET", List.of(), 206, List.of("Cache-Control", "max-age=60"), "status", 0),
                new Case("no-store", "GET", List.of(), 200, List.of("Cache-Control", "no-store, max-age=60"), "no_store", 0),
                new Case("private", "GET", List.of(), 200, List.of("Cache-Control", "private, max-age=60"), "private", 0),
                new Case("no-cache needs revalidation", "GET", List.of(), 200, List.of("Cache-Control", "no-cache, max-age=60"), "no_cache", 0),
                new Case("request no-store", "GET", List.of("Cache-Control", "no-store"), 200, List.of("Cache-Control", "max-age=60"), "request_no_store", 0),
                new Case("Authorization", "GET", List.of("Authorization", "Bearer t"), 200, List.of("Cache-Control", "max-age=60"), "authorization", 0),
                new Case("Authorization + public", "GET", List.of("Authorization", "Bearer t"), 200, List.of("Cache-Control", "public, max-age=60"), "store", 60),
                new Case("Authorization + s-maxage", "GET", List.of("Authorization", "Bearer t"), 200, List.of("Cache-Control", "s-maxage=60"), "store", 60),
                new Case("Authorization + must-revalidate", "GET", List.of("Authorization", "Bearer t"), 200, List.of("Cache-Control", "must-revalidate, max-age=60"), "store", 60),
                new Case("Set-Cookie", "GET", List.of(), 200, List.of("Cache-Control", "max-age=60", "Set-Cookie", "sid=1"), "set_cookie", 0),
                new Case("Vary: *", "GET", List.of(), 200, List.of("Cache-Control", "max-age=60", "Vary", "Accept, *"), "vary_star", 0),
                new Case("Age counts against freshness", "GET", List.of(), 200, List.of("Cache-Control", "max-age=60", "Age", "50"), "store", 60),
                new Case("older than max-age on arrival", "GET", List.of(), 200, List.of("Cache-Control", "max-age=60", "Age", "70"), "not_fresh", 0),
                new Case("Date long ago", "GET", List.of(), 200, List.of("Cache-Control", "max-age=60", "Date", "-100"), "not_fresh", 0),
                new Case("larger than the maximum entry", "GET", List.of(), 200, List.of("Cache-Control", "max-age=60", "Content-Length", "1001"), "too_large", 0),
                new Case("HEAD is not stored", "HEAD", List.of(), 200, List.of("Cache-Control", "max-age=60"), "method", 0),
                new Case("POST is not stored", "POST", List.of(), 200, List.of("Cache-Control", "max-age=60"), "method", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storeCases")
    void storeDecisions(Case c) {
        TestRequest request = TestRequest.get("/products");
        for (int i = 0; i < c.request().size(); i += 2) {
            request.header(c.request().get(i), c.request().get(i + 1));
        }
        List<String> nameValues = new ArrayList<>();
        long contentLength = -1;
        for (int i = 0; i < c.response().size(); i += 2) {
            String name = c.response().get(i);
            String value = c.response().get(i + 1);
            if ((name.equals("Expires") || name.equals("Date") || name.equals("Last-Modified")) && value.matches("[+-]\\d+")) {
                value = date(Duration.ofSeconds(Long.parseLong(value)));
            }
            if (name.equals("Content-Length")) {
                contentLength = Long.parseLong(value);
            }
            nameValues.add(name);
            nameValues.add(value);
        }
        UpstreamResponse base = response(c.status(), nameValues.toArray(String[]::new));
        UpstreamResponse response = new UpstreamResponse(base.status(), base.headers(), contentLength, base.requestTimeMillis());
        PolicyContext context = Requests.withMethod(request, c.method());
        CacheKey key = CacheKey.of(context);
        StoreDecision decision = cache.decide(new CacheLookup.Miss(key, null), context, response);
        if (c.expected().equals("store")) {
            assertThat(decision).isInstanceOf(StoreDecision.Store.class);
            assertThat(((StoreDecision.Store) decision).freshnessLifetimeMillis()).isEqualTo(c.freshSeconds() * 1000);
        } else {
            assertThat(decision).isEqualTo(new StoreDecision.Skip(c.expected()));
        }
    }

    // --- behaviour ---

    @Test
    void aStoredResponseIsServedWithAgeUntilItExpires() {
        PolicyContext context = TestRequest.get("/products").context();
        assertThat(fetchAndStore(context, response(200, "Cache-Control", "max-age=60", "Content-Type", "application/json",
                "Connection", "close", "Transfer-Encoding", "chunked", "Age", "0"), "[1,2]")).isInstanceOf(StoreDecision.Store.class);

        clock.advance(Duration.ofSeconds(30));
        CacheLookup.Hit hit = (CacheLookup.Hit) cache.lookup(context);
        assertThat(hit.addedHeaders()).containsExactly(new HttpHeader("Age", "30"), ResponseCache.X_CACHE_HIT);
        assertThat(hit.response().status()).isEqualTo(200);
        assertThat(StandardCharsets.UTF_8.decode(hit.response().body()).toString()).isEqualTo("[1,2]");
        assertThat(hit.response().headers()).extracting(HttpHeader::name).containsExactly("Cache-Control", "Content-Type", "Date");

        assertThat(cache.lookup(Requests.withMethod(TestRequest.get("/products"), "HEAD"))).as("HEAD is served from the GET response")
                .isInstanceOf(CacheLookup.Hit.class);
        assertThat(cache.lookup(TestRequest.get("/products").query("page=2").context())).isInstanceOf(CacheLookup.Miss.class);

        clock.advance(Duration.ofSeconds(30));
        assertThat(cache.lookup(context)).isEqualTo(new CacheLookup.Miss(CacheKey.of(context), null));
        assertThat(registry.get("atrium.cache.lookups").tags("route", "catalog", "outcome", "hit").counter().count()).isEqualTo(2);
        assertThat(registry.get("atrium.cache.lookups").tags("route", "catalog", "outcome", "miss").counter().count()).isEqualTo(3);
        assertThat(registry.get("atrium.cache.stores").tags("route", "catalog", "outcome", "stored").counter().count()).isEqualTo(1);
    }

    @Test
    void ageFromUpstreamCountsTowardsTheEntrysAge() {
        PolicyContext context = TestRequest.get("/products").context();
        fetchAndStore(context, response(200, "Cache-Control", "max-age=60", "Age", "50"), "x");
        assertThat(((CacheLookup.Hit) cache.lookup(context)).addedHeaders().getFirst()).isEqualTo(new HttpHeader("Age", "50"));
        clock.advance(Duration.ofSeconds(10));
        assertThat(cache.lookup(context)).isInstanceOf(CacheLookup.Miss.class);
    }

    @Test
    void requestDirectivesCanDemandAFreshResponse() {
        PolicyContext context = TestRequest.get("/products").context();
        fetchAndStore(context, response(200, "Cache-Control", "max-age=60"), "x");
        clock.advance(Duration.ofSeconds(20));
        assertThat(cache.lookup(TestRequest.get("/products").header("Cache-Control", "no-cache").context())).isInstanceOf(CacheLookup.Miss.class);
        assertThat(cache.lookup(TestRequest.get("/products").header("Pragma", "no-cache").context())).isInstanceOf(CacheLookup.Miss.class);
        assertThat(cache.lookup(TestRequest.get("/products").header("Cache-Control", "max-age=10").context())).isInstanceOf(CacheLookup.Miss.class);
        assertThat(cache.lookup(TestRequest.get("/products").header("Cache-Control", "max-age=30").context())).isInstanceOf(CacheLookup.Hit.class);
        assertThat(cache.lookup(TestRequest.get("/products").header("Cache-Control", "no-store").context()))
                .isEqualTo(new CacheLookup.Bypass("request_no_store"));
        assertThat(cache.lookup(Requests.withMethod(TestRequest.get("/products"), "POST"))).isEqualTo(new CacheLookup.Bypass("method"));
    }

    @Test
    void varySelectsTheVariantByTheNamedRequestHeaders() {
        PolicyContext gzip = TestRequest.get("/products").header("Accept-Encoding", "gzip").header("Accept-Language", "en").context();
        fetchAndStore(gzip, response(200, "Cache-Control", "max-age=60", "Vary", "accept-encoding"), "gzipped");
        PolicyContext br = TestRequest.get("/products").header("Accept-Encoding", "br").context();
        assertThat(cache.lookup(br)).isInstanceOf(CacheLookup.Miss.class);
        fetchAndStore(br, response(200, "Cache-Control", "max-age=60", "Vary", "Accept-Encoding"), "brotli");

        CacheLookup.Hit hit = (CacheLookup.Hit) cache.lookup(TestRequest.get("/products").header("Accept-Encoding", " gzip ").header("Accept-Language", "de").context());
        assertThat(StandardCharsets.UTF_8.decode(hit.response().body()).toString()).as("other headers do not matter").isEqualTo("gzipped");
        hit = (CacheLookup.Hit) cache.lookup(br);
        assertThat(StandardCharsets.UTF_8.decode(hit.response().body()).toString()).isEqualTo("brotli");
        assertThat(cache.lookup(TestRequest.get("/products").context())).as("absent header is its own variant").isInstanceOf(CacheLookup.Miss.class);
        assertThat(store.variants(CacheKey.of(gzip))).hasSize(2);
    }

    @Test
    void aResponseCachedForOneIdentityIsNeverServedToAnother() {
        Identity alice = identity("alice", Identity.Method.JWT);
        PolicyContext aliceRequest = TestRequest.get("/me/orders").header("Authorization", "Bearer a").context().withIdentity(alice);
        fetchAndStore(aliceRequest, response(200, "Cache-Control", "public, max-age=60"), "alice's orders");

        assertThat(cache.lookup(TestRequest.get("/me/orders").header("Authorization", "Bearer a").context().withIdentity(alice)))
                .isInstanceOf(CacheLookup.Hit.class);
        assertThat(cache.lookup(TestRequest.get("/me/orders").header("Authorization", "Bearer b").context()
                .withIdentity(identity("bob", Identity.Method.JWT)))).isInstanceOf(CacheLookup.Miss.class);
        assertThat(cache.lookup(TestRequest.get("/me/orders").header("X-Api-Key", "k").context()
                .withIdentity(identity("alice", Identity.Method.API_KEY)))).as("same name, other kind of credential").isInstanceOf(CacheLookup.Miss.class);
        assertThat(cache.lookup(TestRequest.get("/me/orders").context())).as("anonymous").isInstanceOf(CacheLookup.Miss.class);

        ResponseCache authenticatedRoute = new ResponseCache(new CacheConfig(0, null, null, true), store, clock, null);
        assertThat(authenticatedRoute.lookup(TestRequest.get("/me/orders").context()))
                .isEqualTo(new CacheLookup.Bypass("anonymous_on_authenticated_route"));
        assertThat(authenticatedRoute.lookup(aliceRequest)).isInstanceOf(CacheLookup.Hit.class);
    }

    @Test
    void keyPartsCannotBeForgedWithDelimiters() {
        PolicyContext a = TestRequest.get("/a").query("b").context();
        PolicyContext b = TestRequest.get("/a?b").context();
        assertThat(CacheKey.of(a)).isNotEqualTo(CacheKey.of(b));
        Identity tricky = new Identity("x", "y", Set.of(), Set.of(), Map.of(), null, Identity.Method.JWT);
        Identity other = new Identity("x4:y", "", Set.of(), Set.of(), Map.of(), null, Identity.Method.JWT);
        assertThat(CacheKey.of(a.withIdentity(tricky))).isNotEqualTo(CacheKey.of(a.withIdentity(other)));
    }

    @Test
    void staleIfErrorServesAStaleResponseWithinItsWindowWhenTheUpstreamFails() {
        PolicyContext context = TestRequest.get("/products").context();
        fetchAndStore(context, response(200, "Cache-Control", "max-age=10, stale-if-error=30"), "old");

        clock.advance(Duration.ofSeconds(20));
        CacheLookup.Miss miss = miss(context);
        assertThat(miss.stale()).isNotNull();
        assertThat(miss.outcome()).isEqualTo("stale");
        assertThat(cache.staleOnError(miss, 200)).as("the upstream answered fine").isNull();
        assertThat(cache.staleOnError(miss, 404)).isNull();
        CachedResponse stale = cache.staleOnError(miss, 503);
        assertThat(stale).isSameAs(miss.stale());
        assertThat(cache.staleOnError(miss, 0)).as("no response at all").isSameAs(stale);
        assertThat(cache.staleHeaders(stale)).containsExactly(new HttpHeader("Age", "20"), ResponseCache.X_CACHE_STALE);

        clock.advance(Duration.ofSeconds(20));
        assertThat(cache.staleOnError(miss, 503)).as("40 s old: beyond max-age + stale-if-error").isNull();
        assertThat(miss(context).stale()).isNull();
        assertThat(store.size()).as("expired from the store").isZero();
        assertThat(registry.get("atrium.cache.stale_served").counter().count()).isEqualTo(2);
    }

    @Test
    void theConfiguredStaleWindowAppliesUnlessTheResponseForbidsStaleness() {
        ResponseCache lenient = new ResponseCache(new CacheConfig(0, Duration.ofMinutes(5), null, false), store, clock, null);
        PolicyContext plain = TestRequest.get("/plain").context();
        PolicyContext strict = TestRequest.get("/strict").context();
        PolicyContext shared = TestRequest.get("/shared").context();
        for (var entry : Map.of(plain, "max-age=10", strict, "max-age=10, must-revalidate", shared, "s-maxage=10").entrySet()) {
            CacheLookup.Miss miss = (CacheLookup.Miss) lenient.lookup(entry.getKey());
            lenient.store((StoreDecision.Store) lenient.decide(miss, entry.getKey(), response(200, "Cache-Control", entry.getValue())), new byte[1]);
        }
        clock.advance(Duration.ofSeconds(60));
        assertThat(lenient.staleOnError((CacheLookup.Miss) lenient.lookup(plain), 502)).isNotNull();
        assertThat(lenient.staleOnError((CacheLookup.Miss) lenient.lookup(strict), 502)).isNull();
        assertThat(lenient.staleOnError((CacheLookup.Miss) lenient.lookup(shared), 502)).isNull();
    }

    @Test
    void heuristicFreshnessOnlyWhenConfiguredAndOnlyForStatusesCacheableByDefault() {
        ResponseCache heuristic = new ResponseCache(new CacheConfig(0, null, Duration.ofHours(1), false), store, clock, null);
        PolicyContext context = TestRequest.get("/doc").context();
        CacheLookup.Miss miss = (CacheLookup.Miss) heuristic.lookup(context);
        StoreDecision recent = heuristic.decide(miss, context, response(200, "Last-Modified", date(Duration.ofMinutes(-100))));
        assertThat(((StoreDecision.Store) recent).freshnessLifetimeMillis()).as("10% of 100 min").isEqualTo(Duration.ofMinutes(10).toMillis());
        StoreDecision old = heuristic.decide(miss, context, response(200, "Last-Modified", date(Duration.ofDays(-30))));
        assertThat(((StoreDecision.Store) old).freshnessLifetimeMillis()).as("capped").isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(heuristic.decide(miss, context, response(302, "Last-Modified", date(Duration.ofDays(-30)))))
                .isEqualTo(new StoreDecision.Skip("no_freshness"));
    }

    @Test
    void bodiesLargerThanTheMaximumEntryAreNotStored() {
        PolicyContext context = TestRequest.get("/big").context();
        StoreDecision.Store decision = (StoreDecision.Store) cache.decide(miss(context), context, response(200, "Cache-Control", "max-age=60"));
        assertThat(cache.store(decision, new byte[1001])).isFalse();
        assertThat(cache.lookup(context)).isInstanceOf(CacheLookup.Miss.class);
        assertThat(cache.store(decision, new byte[1000])).isTrue();
        assertThat(cache.lookup(context)).isInstanceOf(CacheLookup.Hit.class);
    }

    private static Identity identity(String subject, Identity.Method method) {
        return new Identity(subject, null, Set.of(), Set.of(), Map.of(), null, method);
    }
}
