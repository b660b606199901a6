package io.atrium.policy.auth.internal;

import io.atrium.policy.auth.KeySource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWKS URL, fetched with the JDK HTTP client without blocking. The document is cached; it is fetched
 * again in the background once older than the refresh interval, and at once when a token names an unknown
 * {@code kid} (key rotation) — but never more often than the minimum refresh interval, so tokens with made-up
 * {@code kid}s cannot make the gateway hammer the identity provider. Concurrent refreshes share one fetch.
 * A failed fetch keeps the previous keys.
 */
public final class JwksKeyResolver implements KeyResolver {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeyResolver.class);

    private final KeySource.Jwks source;
    private final Set<String> allowedAlgorithms;
    private final JwksFetcher fetcher;
    private final LongSupplier nanoTime;
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicReference<CompletableFuture<KeySet>> inFlight = new AtomicReference<>();
    private volatile KeySet keys;
    private volatile long fetchedAtNanos;
    private volatile long lastAttemptNanos;
    private volatile boolean attempted;
    /** Fetches that failed in a row: they are retried after 1, 2, 4 … s (capped by the minimum interval). */
    private volatile int failures;

    /** Fetches a JWKS document; completes exceptionally when it could not. */
    @FunctionalInterface
    public interface JwksFetcher {
        CompletionStage<String> fetch(KeySource.Jwks source);
    }

    public JwksKeyResolver(KeySource.Jwks source, Set<String> allowedAlgorithms, HttpClient http, LongSupplier nanoTime) {
        this(source, allowedAlgorithms, httpFetcher(http), nanoTime);
    }

    public JwksKeyResolver(KeySource.Jwks source, Set<String> allowedAlgorithms, JwksFetcher fetcher, LongSupplier nanoTime) {
        this.source = source;
        this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        this.fetcher = fetcher;
        this.nanoTime = nanoTime;
    }

    /** Starts the first fetch; verification works without calling this (the first token triggers it). */
    public CompletionStage<Void> prefetch() {
        return refresh().thenApply(keySet -> null);
    }

    /** How many fetches were started, for tests and the admin endpoint. */
    public long fetchCount() {
        return fetches.get();
    }

    private static JwksFetcher httpFetcher(HttpClient http) {
        return source -> {
            HttpRequest request = HttpRequest.newBuilder(source.url())
                    .timeout(source.fetchTimeout())
                    .header("Accept", "application/jwk-set+json, application/json")
                    .GET()
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP status " + response.statusCode());
                }
                return response.body();
            });
        };
    }

    @Override
    public CompletionStage<List<VerificationKey>> candidates(String kid) {
        KeySet current = keys;
        if (current != null) {
            List<VerificationKey> found = current.candidates(kid);
            if (!found.isEmpty()) {
                if (nanoTime.getAsLong() - fetchedAtNanos >= source.refreshInterval().toNanos() && mayFetch()) {
                    refresh();
                }
                return CompletableFuture.completedFuture(found);
            }
        }
        if (!mayFetch()) {
            CompletableFuture<KeySet> pending = inFlight.get();
            if (pending != null) {
                return pending.thenApply(keySet -> keySet.candidates(kid));
            }
            return CompletableFuture.completedFuture(current == null ? List.of() : current.candidates(kid));
        }
        return refresh().thenApply(keySet -> keySet.candidates(kid));
    }

    private boolean mayFetch() {
        long wait = source.minimumRefreshInterval().toNanos();
        if (failures > 0) {
            // the identity provider was not reachable (e.g. it starts after us): try again soon, backing off
            wait = Math.min(wait, java.time.Duration.ofSeconds(1).toNanos() << Math.min(failures - 1, 10));
        }
        return !attempted || nanoTime.getAsLong() - lastAttemptNanos >= wait;
    }

    private CompletableFuture<KeySet> refresh() {
        CompletableFuture<KeySet> mine = new CompletableFuture<>();
        CompletableFuture<KeySet> existing = inFlight.compareAndExchange(null, mine);
        if (existing != null) {
            return existing;
        }
        attempted = true;
        lastAttemptNanos = nanoTime.getAsLong();
        fetches.incrementAndGet();
        fetcher.fetch(source).handle((body, failure) -> {
            KeySet result = keys == null ? KeySet.EMPTY : keys;
            if (failure != null) {
                failures++;
                LOG.warn("JWKS fetch from {} failed: {}; keeping {} known keys", source.url(), failure.toString(), result.size());
            } else {
                try {
                    result = Keys.fromJwks(body, allowedAlgorithms);
                    keys = result;
                    failures = 0;
                    fetchedAtNanos = nanoTime.getAsLong();
                } catch (java.text.ParseException | RuntimeException e) {
                    LOG.warn("JWKS document from {} is invalid: {}; keeping {} known keys", source.url(), e.getMessage(), result.size());
                }
            }
            inFlight.set(null);
            mine.complete(result);
            return null;
        });
        return mine;
    }
}
