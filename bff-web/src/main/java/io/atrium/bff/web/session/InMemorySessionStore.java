package io.atrium.bff.web.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Sessions of one instance, bounded, each entry dropped at its own end. */
public final class InMemorySessionStore implements SessionStore {
    private static final int MAX_SESSIONS = 100_000;
    private static final int MAX_LOGINS = 10_000;
    private final Cache<String, Session> sessions;
    private final Cache<String, PendingLogin> logins;

    public InMemorySessionStore(Clock clock) {
        sessions = Caffeine.newBuilder().maximumSize(MAX_SESSIONS)
                .expireAfter(until(Session::expiresAt, clock)).build();
        logins = Caffeine.newBuilder().maximumSize(MAX_LOGINS)
                .expireAfter(until(PendingLogin::expiresAt, clock)).build();
    }

    private static <V> Expiry<String, V> until(Function<V, Instant> end, Clock clock) {
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(String key, V value, long currentTime) {
                return Math.max(0, Duration.between(clock.instant(), end.apply(value)).toNanos());
            }

            @Override
            public long expireAfterUpdate(String key, V value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
            }

            @Override
            public long expireAfterRead(String key, V value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
    }

    @Override
    public CompletionStage<Optional<Session>> find(String key) {
        return CompletableFuture.completedFuture(Optional.ofNullable(sessions.getIfPresent(key)));
    }

    @Override
    public CompletionStage<Void> save(Session session) {
        sessions.put(session.key(), session);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> delete(String key) {
        sessions.invalidate(key);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> saveLogin(PendingLogin login) {
        logins.put(login.state(), login);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<PendingLogin>> takeLogin(String state) {
        return CompletableFuture.completedFuture(Optional.ofNullable(logins.asMap().remove(state)));
    }
}
