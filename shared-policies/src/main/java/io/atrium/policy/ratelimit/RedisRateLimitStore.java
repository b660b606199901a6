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
 * GCRA state in Redis, shared by every edge instance. A decision is one atomic Lua script over all limits of the
 * request ({@code EVALSHA}, falling back to {@code EVAL} when Redis answers {@code NOSCRIPT}, e.g. after a restart),
 * using Redis' clock so that instances with skewed clocks still share one limit.
 *
 * <p>With leases (the default, {@link Lease}) a decision may also take a few more units than the request needs, which
 * this instance then hands out itself until they run out or the lease expires; see {@link RedisLeases}. Without
 * ({@link Lease#OFF}) every request is one script call.
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
     * @param lease how decisions are batched (default {@link Lease#DEFAULT}; {@link Lease#OFF}: one call per request)
     */
    public record Config(String uri, String keyPrefix, Duration commandTimeout, Duration maximumReconnectDelay, Lease lease) {
        public Config {
            Objects.requireNonNull(uri, "uri");
            keyPrefix = Objects.requireNonNullElse(keyPrefix, "atrium:rl:");
            commandTimeout = Objects.requireNonNullElse(commandTimeout, Duration.ofMillis(250));
            maximumReconnectDelay = Objects.requireNonNullElse(maximumReconnectDelay, Duration.ofSeconds(2));
            lease = Objects.requireNonNullElse(lease, Lease.DEFAULT);
        }

        public Config(String uri, String keyPrefix, Duration commandTimeout, Duration maximumReconnectDelay) {
            this(uri, keyPrefix, commandTimeout, maximumReconnectDelay, null);
        }

        public static Config of(String uri) {
            return new Config(uri, null, null, null, null);
        }
    }

    /**
     * Leases: a decision that finds plenty left takes {@code min(maxUnits, remaining / 16)} units (at least the
     * request's), and this instance admits requests from the surplus without asking Redis, until it is spent or
     * {@code ttl} has passed; unused units are given back. Near the limit leases shrink to nothing, so decisions there
     * are exact. What it costs in accuracy: with several instances, each holding a lease, a request may be refused
     * while another instance still holds unused units (never more admitted than the limit allows).
     *
     * @param maxUnits the largest lease, in units; 1 switches leases off (every request asks Redis)
     * @param ttl how long a lease may be spent from; at least 1 ms
     */
    public record Lease(int maxUnits, Duration ttl) {
        public static final Lease DEFAULT = new Lease(64, Duration.ofSeconds(1));
        public static final Lease OFF = new Lease(1, Duration.ofSeconds(1));

        public Lease {
            Objects.requireNonNull(ttl, "ttl");
            if (maxUnits < 1) {
                throw new IllegalArgumentException("rate limit lease: max_units must be at least 1");
            }
            if (ttl.toMillis() < 1) {
                throw new IllegalArgumentException("rate limit lease: ttl must be at least 1ms");
            }
        }

        public boolean enabled() {
            return maxUnits > 1;
        }
    }

    /** What one script call says: Redis' time, the lease units granted beyond the request, the TATs it decided on. */
    record Reply(long now, long leased, long[] tats) {
    }

    private final Config config;
    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final String scriptSha;
    private final RedisLeases leases;
    /**
     * How long Redis keeps a lease that is not given back: past its ttl here, with room for the give-back to arrive
     * (a lease Redis drops itself counts as fully spent), and for this instance's clock to run a little slow.
     */
    private final long leaseLifetimeInRedisMicros;
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
        long ttlMicros = config.lease().ttl().toNanos() / 1000;
        this.leaseLifetimeInRedisMicros = ttlMicros + Math.max(ttlMicros, 1_000_000L);
        this.leases = config.lease().enabled() ? new RedisLeases(config.lease(), this::run, resources.eventExecutorGroup(), this::isAvailable) : null;
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
        if (leases != null) {
            return leases.acquire(key, limits, units);
        }
        return run(new RedisLeases.Call(key, limits, units, 1, "", "")).thenApply(reply -> Gcra.result(limits, reply.now(), reply.tats(), units));
    }

    /** Runs the script for {@code call}; fails with {@link RateLimitStoreUnavailableException}. */
    CompletionStage<Reply> run(RedisLeases.Call call) {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            connectIfDue();
            return CompletableFuture.failedFuture(failure("not connected to Redis at " + uri.getHost() + ":" + uri.getPort(), null));
        }
        LimitSet limits = call.limits();
        String[] keys = new String[2 * limits.size()];
        String prefix = config.keyPrefix() + "{" + call.key() + "}:";
        for (int i = 0; i < keys.length; i++) {
            keys[i] = prefix + limits.redisKeySuffixes[i];
        }
        String[] args = java.util.Arrays.copyOf(limits.scriptArgs, limits.scriptArgs.length + 5);
        int at = limits.scriptArgs.length;
        args[at] = Long.toString(call.units());
        args[at + 1] = Long.toString(call.leaseMax());
        args[at + 2] = Long.toString(leaseLifetimeInRedisMicros);
        args[at + 3] = call.leaseId();
        args[at + 4] = call.returned();
        CompletableFuture<Reply> result = new CompletableFuture<>();
        current.async().<List<Object>>evalsha(scriptSha, ScriptOutputType.MULTI, keys, args)
                .handle((reply, error) -> {
                    if (unwrap(error) instanceof RedisNoScriptException) {
                        current.async().<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args)
                                .handle((retried, retryError) -> complete(result, limits, retried, retryError));
                    } else {
                        complete(result, limits, reply, error);
                    }
                    return null;
                });
        return result;
    }

    private boolean complete(CompletableFuture<Reply> result, LimitSet limits, List<Object> reply, Throwable error) {
        if (error != null) {
            return result.completeExceptionally(failure(unwrap(error).toString(), error));
        }
        long[] tats = new long[limits.size()];
        for (int i = 0; i < tats.length; i++) {
            tats[i] = (Long) reply.get(i + 2);
        }
        if (available.compareAndSet(false, true)) {
            LOG.info("rate-limit store Redis at {}:{} is reachable again", uri.getHost(), uri.getPort());
            if (leases != null) {
                leases.forgetRefusals();
            }
        }
        return result.complete(new Reply((Long) reply.get(0), (Long) reply.get(1), tats));
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
        if (closed) {
            return;
        }
        if (leases != null) {
            leases.close(config.commandTimeout());
        }
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
