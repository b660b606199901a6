package io.atrium.router.config;

import java.util.Map;
import java.util.Set;

/**
 * The {@code cache_control} block: the {@code Cache-Control} of the router's GraphQL answers, merged restrictively
 * from the responses of the fetches that made them (graphql-kit's
 * {@link io.atrium.graphql.cache.CacheControlMerge}).
 *
 * <pre>
 * cache_control:
 *   enabled: true                  # default true; false: no Cache-Control on /graphql answers at all
 *   default_max_age_seconds: 0     # an answer that took no fetch (__typename, introspection only); 0 = no-store
 * </pre>
 *
 * @param enabled              compute and send the header (default true, as Apollo Server and Hive Router do)
 * @param defaultMaxAgeSeconds the max-age of a query answered without any fetch (default 0: not cacheable)
 */
public record CacheControlConfig(boolean enabled, long defaultMaxAgeSeconds) {
    public static final CacheControlConfig DEFAULT = new CacheControlConfig(true, 0);
    static final Set<String> KEYS = Set.of("enabled", "default_max_age_seconds");

    public CacheControlConfig {
        if (defaultMaxAgeSeconds < 0) {
            throw new ConfigException("cache_control.default_max_age_seconds: expected 0 or more, got "
                    + defaultMaxAgeSeconds);
        }
    }

    /** The policy of an answer that took no fetch; {@code no-store} when the default max-age is 0. */
    public String noFetchPolicy(boolean personal) {
        if (defaultMaxAgeSeconds == 0) {
            return io.atrium.graphql.cache.CacheControlMerge.NO_STORE;
        }
        return (personal ? "private, max-age=" : "public, max-age=") + defaultMaxAgeSeconds;
    }

    static CacheControlConfig read(Object value) {
        Map<String, Object> block = StrictYaml.map(value, "cache_control");
        StrictYaml.check(block, KEYS, "cache_control");
        boolean enabled = DEFAULT.enabled();
        if (block.containsKey("enabled")) {
            if (!(block.get("enabled") instanceof Boolean b)) {
                throw new ConfigException("cache_control.enabled: expected true or false, got " + block.get("enabled"));
            }
            enabled = b;
        }
        long maxAge = DEFAULT.defaultMaxAgeSeconds();
        if (block.containsKey("default_max_age_seconds")) {
            Object raw = block.get("default_max_age_seconds");
            if (!(raw instanceof Integer || raw instanceof Long)) {
                throw new ConfigException("cache_control.default_max_age_seconds: expected a whole number of seconds, got "
                        + raw);
            }
            maxAge = ((Number) raw).longValue();
        }
        return new CacheControlConfig(enabled, maxAge);
    }
}
