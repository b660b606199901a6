package io.atrium.graphql.trusted;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * APQ documents in Redis, shared by every instance of an endpoint: {@code SET key text EX ttl}, {@code GET key}.
 * Never blocks: Lettuce's async API, commands time out after 1 s and fail at once while disconnected (Lettuce
 * reconnects in the background). A failed lookup is a miss, so the client resends the text and the request still
 * runs; a failed store is logged once per outage.
 */
public final class RedisApqStore implements ApqStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisApqStore.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration RETRY_CONNECT = Duration.ofSeconds(1);

    private final RedisClient client;
    private final RedisURI uri;
    private final String keyPrefix;
    private final long ttlSeconds;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> connection =
            new AtomicReference<>();
    private volatile boolean failing;
    private volatile long retryAfterNanos;

    public RedisApqStore(String uri, String keyPrefix, Duration ttl) {
        this.uri = RedisURI.create(uri);
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        this.keyPrefix = keyPrefix;
        this.ttlSeconds = ttl.toSeconds();
        connection();
    }

    /** The connection, or a new attempt when the last one failed more than a second ago. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
        if (current != null && (!current.isCompletedExceptionally() || System.nanoTime() < retryAfterNanos)) {
            return current;
        }
        CompletableFuture<StatefulRedisConnection<String, String>> fresh =
                client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
        fresh.whenComplete((ok, error) -> {
            if (error != null) {
                retryAfterNanos = System.nanoTime() + RETRY_CONNECT.toNanos();
            }
        });
        return connection.compareAndSet(current, fresh) ? fresh : connection.get();
    }

    @Override
    public CompletionStage<String> get(String hash) {
        return connection().thenCompose(c -> c.async().get(keyPrefix + hash))
                .handle((text, error) -> {
                    report(error);
                    return error == null ? text : null;
                });
    }

    @Override
    public void put(String hash, String text) {
        connection().thenCompose(c -> c.async().setex(keyPrefix + hash, ttlSeconds, text))
                .whenComplete((ok, error) -> report(error));
    }

    private void report(Throwable error) {
        if (error != null && !failing) {
            failing = true;
            LOG.warn("APQ store in Redis is not answering ({}); lookups count as misses until it does", error.toString());
        } else if (error == null && failing) {
            failing = false;
            LOG.info("APQ store in Redis answers again");
        }
    }

    @Override
    public void close() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            current.join().close();
        }
        client.shutdown();
    }
}
