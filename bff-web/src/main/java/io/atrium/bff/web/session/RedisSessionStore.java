package io.atrium.bff.web.session;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sessions in Redis, shared by every bff-web instance: {@code atrium:web:session:<key>} and
 * {@code atrium:web:login:<state>} as JSON with an expiry at the entry's end ({@code SET … PXAT}); a login is taken
 * with {@code GETDEL}, so a state is good once across all instances. Lettuce's async API, commands time out after
 * 1 s; a failure reaches the caller (a session that cannot be read is not silently anonymous).
 */
public final class RedisSessionStore implements SessionStore {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final String SESSION_PREFIX = "atrium:web:session:";
    private static final String LOGIN_PREFIX = "atrium:web:login:";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final JsonMapper json;
    private final Clock clock;

    public RedisSessionStore(String uri, JsonMapper json, Clock clock) {
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        // At start-up only: a BFF configured for Redis that cannot reach it should say so at once.
        this.connection = client.connect(StringCodec.UTF8, RedisURI.create(uri));
        this.json = json;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Optional<Session>> find(String key) {
        return connection.async().get(SESSION_PREFIX + key)
                .thenApply(text -> Optional.ofNullable(text).map(t -> read(t, Session.class)));
    }

    @Override
    public CompletionStage<Void> save(Session session) {
        return set(SESSION_PREFIX + session.key(), write(session), session.expiresAt());
    }

    @Override
    public CompletionStage<Void> delete(String key) {
        return connection.async().del(SESSION_PREFIX + key).thenApply(count -> null);
    }

    @Override
    public CompletionStage<Void> saveLogin(PendingLogin login) {
        return set(LOGIN_PREFIX + login.state(), write(login), login.expiresAt());
    }

    @Override
    public CompletionStage<Optional<PendingLogin>> takeLogin(String state) {
        return connection.async().getdel(LOGIN_PREFIX + state)
                .thenApply(text -> Optional.ofNullable(text).map(t -> read(t, PendingLogin.class)));
    }

    private CompletionStage<Void> set(String key, String value, Instant end) {
        if (!clock.instant().isBefore(end)) {
            return CompletableFuture.completedFuture(null);
        }
        return connection.async().set(key, value, SetArgs.Builder.pxAt(end.toEpochMilli())).thenApply(ok -> null);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
