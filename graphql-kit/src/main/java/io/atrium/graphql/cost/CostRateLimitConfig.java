package io.atrium.graphql.cost;

import io.atrium.graphql.config.ConfigMaps;
import io.atrium.graphql.config.GraphQLConfigException;
import io.atrium.policy.ratelimit.Limit;
import io.atrium.policy.ratelimit.RateLimitConfig;
import io.atrium.policy.ratelimit.RedisRateLimitStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code demand_control.rate_limit} block: each operation spends its estimated cost from a budget per caller,
 * held by the shared GCRA limiter (in memory per instance, or in Redis shared by every instance):
 *
 * <pre>
 * rate_limit:
 *   key: client                 # client (apollographql-client-name) | subject (the verified caller) | client_subject
 *   limits:                     # one or more; an operation must fit in all of them
 *     - { units: 100000, period_ms: 60000, burst: 20000 }   # burst defaults to units
 *   redis_url: redis://host:6379   # absent: in memory, per instance
 *   key_prefix: "atrium:cost:"     # Redis key prefix (default)
 *   command_timeout_ms: 250        # a Redis decision slower than this is a store failure
 *   lease: { max_units: 64, ttl_ms: 1000 }   # units an instance may take ahead from Redis; off: every operation asks
 *   on_store_failure: open          # open (run, uncounted) | closed (refuse with 503)
 * </pre>
 *
 * A caller without the key's value (no client name, an anonymous caller) spends from one shared bucket,
 * {@code anonymous}.
 */
public record CostRateLimitConfig(Key key, List<Limit> limits, String redisUrl, String keyPrefix,
                                  Duration commandTimeout, RateLimitConfig.FailureMode onStoreFailure,
                                  RedisRateLimitStore.Lease lease) {

    /** What a budget belongs to. */
    public enum Key { CLIENT, SUBJECT, CLIENT_SUBJECT }

    public CostRateLimitConfig {
        limits = List.copyOf(limits);
        lease = java.util.Objects.requireNonNullElse(lease, RedisRateLimitStore.Lease.DEFAULT);
    }

    /** The smallest burst of the limits: an operation estimated above it can never run. */
    public long smallestBurst() {
        return limits.stream().mapToLong(Limit::burst).min().orElseThrow();
    }

    static CostRateLimitConfig read(Object value, String path) {
        if (value == null) {
            return null;
        }
        Map<String, Object> block = ConfigMaps.map(value, path);
        ConfigMaps.checkKeys(block, Set.of("key", "limits", "redis_url", "key_prefix", "command_timeout_ms",
                "on_store_failure", "lease"), path);
        if (!(block.get("limits") instanceof List<?> items) || items.isEmpty()) {
            throw new GraphQLConfigException(path + ".limits: expected a list of one or more {units, period_ms, burst}");
        }
        List<Limit> limits = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = path + ".limits[" + i + "]";
            Map<String, Object> item = ConfigMaps.map(items.get(i), at);
            ConfigMaps.checkKeys(item, Set.of("units", "period_ms", "burst"), at);
            if (!item.containsKey("units")) {
                throw new GraphQLConfigException(at + ".units: required");
            }
            int units = ConfigMaps.positiveInt(item, "units", 1, at);
            int periodMs = ConfigMaps.positiveInt(item, "period_ms", 1000, at);
            int burst = ConfigMaps.positiveInt(item, "burst", units, at);
            try {
                limits.add(new Limit(units, Duration.ofMillis(periodMs), burst));
            } catch (IllegalArgumentException e) {
                throw new GraphQLConfigException(at + ": " + e.getMessage());
            }
        }
        String redisUrl = block.containsKey("redis_url") ? ConfigMaps.string(block, "redis_url", null, path) : null;
        if (redisUrl != null && !redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            throw new GraphQLConfigException(path + ".redis_url: expected a redis:// or rediss:// URL");
        }
        return new CostRateLimitConfig(ConfigMaps.choice(block, "key", Key.CLIENT, Key.class, path), limits, redisUrl,
                ConfigMaps.string(block, "key_prefix", "atrium:cost:", path),
                Duration.ofMillis(ConfigMaps.positiveInt(block, "command_timeout_ms", 250, path)),
                ConfigMaps.choice(block, "on_store_failure", RateLimitConfig.FailureMode.OPEN,
                        RateLimitConfig.FailureMode.class, path),
                lease(block.get("lease"), path + ".lease"));
    }

    /** Absent: the default; {@code off} (YAML reads an unquoted off as false) or {@code { max_units, ttl_ms }}. */
    private static RedisRateLimitStore.Lease lease(Object value, String path) {
        if (value == null) {
            return RedisRateLimitStore.Lease.DEFAULT;
        }
        if (Boolean.FALSE.equals(value) || "off".equals(value)) {
            return RedisRateLimitStore.Lease.OFF;
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new GraphQLConfigException(path + ": expected off or { max_units, ttl_ms }");
        }
        Map<String, Object> block = ConfigMaps.map(value, path);
        ConfigMaps.checkKeys(block, Set.of("max_units", "ttl_ms"), path);
        return new RedisRateLimitStore.Lease(
                ConfigMaps.positiveInt(block, "max_units", RedisRateLimitStore.Lease.DEFAULT.maxUnits(), path),
                Duration.ofMillis(ConfigMaps.positiveInt(block, "ttl_ms", (int) RedisRateLimitStore.Lease.DEFAULT.ttl().toMillis(), path)));
    }
}
