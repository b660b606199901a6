package io.atrium.policy.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GCRA state in Redis, shared by every edge instance. One decision is one atomic Lua script over all limits of the
 * request ({@code EVALSHA}, falling back to {@code EVAL} when Redis answers {@code NOSCRIPT}, e.g. after a restart),
 * using Redis' clock so that instances with skewed clocks still share one limit.
 *
 * <p>Never blocks: commands are sent with Lettuce's async API, fail at once while disconnected and time out after
 * the command timeout. Lettuce reconnects in the background; an outage is logged once when it starts and once when
 * it ends.
 */
public final class RedisRateLimitStore implements RateLimitStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimitStore.class);
    private static final String SCRIPT = loadScript();

    /**
     * @param uri e.g. {@code redis://127.0.0.1:6379}
     * @param keyPrefix prefix of every key (default {@code atrium:rl:})
     * @param commandTimeout how long one decision may take before it counts as a store failure (default 250 ms)
     * @param maximumReconnectDelay upper bound of the reconnect back-off (default 2 s)
     */
    public record Config(String uri, String keyPrefix, Duration commandTimeout, Duration maximumReconnectDelay) {
        public Config {
            Objects.requireNonNull(uri, "uri");
            keyPrefix = Objects.requireNonNullElse(keyPrefix, "atrium:rl:");
            commandTimeout = Objects.requireNonNullElse(commandTimeout, Duration.ofMillis(250));
            maximumReconnectDelay = Objects.requireNonNullElse(maximumReconnectDelay, Duration.ofSeconds(2));
        }

        public static Config of(String uri) {
            return new Config(uri, null, null, null);
        }
    }

    private final Config config;
    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final String scriptSha;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long nextConnectAttemptNanos;
    private volatile boolean closed;

    private RedisRateLimitStore(Config config) {
        this.config = config;
        this.uri = RedisURI.create(config.uri());
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), config.maximumReconnectDelay(), 2, java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build());
        this.scriptSha = sha1Hex(SCRIPT);
    }

    /** A store connecting in the background; until connected, decisions fail (and the policy fails open or closed). */
    public static RedisRateLimitStore connect(Config config) {
        RedisRateLimitStore store = new RedisRateLimitStore(config);
        store.connectIfDue();
        return store;
    }

    /** False while Redis is known to be unreachable. */
    public boolean isAvailable() {
        return available.get() && connection != null && connection.isOpen();
    }

    @Override
    public CompletionStage<RateLimitResult> acquire(String key, LimitSet limits, long units) {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            connectIfDue();
            return CompletableFuture.failedFuture(failure("not connected to Redis at " + uri.getHost() + ":" + uri.getPort(), null));
        }
        String[] keys = new String[limits.size()];
        String prefix = config.keyPrefix() + "{" + key + "}:";
        for (int i = 0; i < keys.length; i++) {
            keys[i] = prefix + limits.keySuffixes[i];
        }
        CompletableFuture<RateLimitResult> result = new CompletableFuture<>();
        String[] args = units == 1 ? limits.scriptArgs : limits.scriptArgs(units);
        current.async().<List<Object>>evalsha(scriptSha, ScriptOutputType.MULTI, keys, args)
                .handle((reply, error) -> {
                    if (unwrap(error) instanceof RedisNoScriptException) {
                        current.async().<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args)
                                .handle((retried, retryError) -> complete(result, limits, units, retried, retryError));
                    } else {
                        complete(result, limits, units, reply, error);
                    }
                    return null;
                });
        return result;
    }

    private boolean complete(CompletableFuture<RateLimitResult> result, LimitSet limits, long units, List<Object> reply,
                             Throwable error) {
        if (error != null) {
            return result.completeExceptionally(failure(unwrap(error).toString(), error));
        }
        long now = (Long) reply.get(0);
        long[] tats = new long[limits.size()];
        for (int i = 0; i < tats.length; i++) {
            tats[i] = (Long) reply.get(i + 1);
        }
        if (available.compareAndSet(false, true)) {
            LOG.info("rate-limit store Redis at {}:{} is reachable again", uri.getHost(), uri.getPort());
        }
        return result.complete(Gcra.result(limits, now, tats, units));
    }

    private RateLimitStoreUnavailableException failure(String message, Throwable cause) {
        if (available.compareAndSet(true, false)) {
            LOG.warn("rate-limit store Redis at {}:{} is unreachable ({}); routes fail open or closed as configured until it recovers",
                    uri.getHost(), uri.getPort(), message);
        }
        return new RateLimitStoreUnavailableException(message, cause);
    }

    /**
     * Lettuce only reconnects connections it once had; the first connection is retried here, at most once a second.
     * The script is loaded before the connection is used, so that a burst of first requests does not all go the
     * NOSCRIPT → EVAL way.
     */
    private void connectIfDue() {
        if (closed || connection != null || System.nanoTime() - nextConnectAttemptNanos < 0 || !connecting.compareAndSet(false, true)) {
            return;
        }
        nextConnectAttemptNanos = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        client.connectAsync(StringCodec.UTF8, uri)
                .thenCompose(opened -> opened.async().scriptLoad(SCRIPT).thenApply(sha -> opened))
                .whenComplete((opened, error) -> {
                    if (opened != null) {
                        if (closed) {
                            opened.closeAsync();
                        } else {
                            connection = opened;
                        }
                    } else {
                        failure(unwrap(error).toString(), error);
                    }
                    connecting.set(false);
                });
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String loadScript() {
        try (InputStream in = RedisRateLimitStore.class.getResourceAsStream("gcra.lua")) {
            return new String(Objects.requireNonNull(in, "gcra.lua").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("gcra.lua is missing from the classpath", e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-1", e);
        }
    }
}
