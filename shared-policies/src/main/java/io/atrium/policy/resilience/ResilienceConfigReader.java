package io.atrium.policy.resilience;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads the resilience blocks of a cluster from a plain config mapping (parsed YAML or JSON), with the key names and
 * duration format of the edge's cluster config ({@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}), for deployables
 * whose config is read as maps (the router's subgraphs). Strict: unknown keys and wrong values fail with the key's
 * path ({@link IllegalArgumentException}). Active health checking is not read here (the caller would have to run the
 * probes).
 *
 * <p>Keys: {@code load_balancing} ({@code round_robin | least_request | weighted}), {@code outlier_detection},
 * {@code circuit_breaker}, {@code retry} (blocks as in the edge's README; {@code enabled: false} switches a present
 * block off). An absent key keeps what {@code inherited} has, so a block can override defaults block by block.
 */
public final class ResilienceConfigReader {

    /** The keys {@link #read} consumes from a cluster mapping (the caller checks the mapping's other keys). */
    public static final Set<String> KEYS = Set.of("load_balancing", "outlier_detection", "circuit_breaker", "retry");

    private static final Set<String> OUTLIER_KEYS = Set.of("enabled", "consecutive_5xx", "consecutive_connect_failures",
            "base_ejection_time", "max_ejection_time", "max_ejection_percent");
    private static final Set<String> BREAKER_KEYS = Set.of("enabled", "window_type", "window_size", "minimum_calls",
            "failure_rate_threshold", "open_duration", "half_open_calls", "slow_call_duration");
    private static final Set<String> RETRY_KEYS = Set.of("max_attempts", "retry_on", "retriable_statuses",
            "per_try_timeout", "total_timeout", "backoff_base", "backoff_max", "budget");

    private ResilienceConfigReader() {
    }

    /**
     * @param cluster   the mapping holding the resilience keys (other keys are ignored)
     * @param path      its path in the config, for error messages ({@code subgraphs.reviews})
     * @param inherited what an absent key keeps
     */
    public static ClusterResilienceConfig read(Map<String, Object> cluster, String path, ClusterResilienceConfig inherited) {
        LoadBalancing balancing = cluster.containsKey("load_balancing")
                ? loadBalancing(cluster.get("load_balancing"), path + ".load_balancing") : inherited.loadBalancing();
        OutlierDetectionConfig outliers = cluster.containsKey("outlier_detection")
                ? outlierDetection(cluster.get("outlier_detection"), path + ".outlier_detection") : inherited.outlierDetection();
        CircuitBreakerConfig breaker = cluster.containsKey("circuit_breaker")
                ? circuitBreaker(cluster.get("circuit_breaker"), path + ".circuit_breaker") : inherited.circuitBreaker();
        RetryConfig retry = cluster.containsKey("retry") ? retry(cluster.get("retry"), path + ".retry") : inherited.retry();
        return new ClusterResilienceConfig(balancing, inherited.healthCheck(), outliers, breaker, retry);
    }

    private static LoadBalancing loadBalancing(Object value, String path) {
        for (LoadBalancing candidate : LoadBalancing.values()) {
            if (candidate.name().toLowerCase(Locale.ROOT).equals(value)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(path + ": unknown load balancing '" + value
                + "' (allowed: round_robin, least_request, weighted)");
    }

    private static OutlierDetectionConfig outlierDetection(Object value, String path) {
        Map<String, Object> block = block(value, path, OUTLIER_KEYS);
        if (!enabled(block, path)) {
            return null;
        }
        int consecutive5xx = integer(block, "consecutive_5xx", 1, 1000, path);
        int connectFailures = integer(block, "consecutive_connect_failures", 1, 1000, path);
        Duration base = duration(block, "base_ejection_time", path);
        Duration max = duration(block, "max_ejection_time", path);
        int percent = integer(block, "max_ejection_percent", 1, 100, path);
        return validated(path, () -> new OutlierDetectionConfig(consecutive5xx, connectFailures, base, max, percent));
    }

    private static CircuitBreakerConfig circuitBreaker(Object value, String path) {
        Map<String, Object> block = block(value, path, BREAKER_KEYS);
        if (!enabled(block, path)) {
            return null;
        }
        CircuitBreakerConfig.WindowType windowType = null;
        if (block.containsKey("window_type")) {
            windowType = switch (String.valueOf(block.get("window_type"))) {
                case "count" -> CircuitBreakerConfig.WindowType.COUNT;
                case "time" -> CircuitBreakerConfig.WindowType.TIME;
                default -> throw new IllegalArgumentException(path + ".window_type: unknown window type '"
                        + block.get("window_type") + "' (allowed: count, time)");
            };
        }
        CircuitBreakerConfig.WindowType type = windowType;
        int windowSize = integer(block, "window_size", 1, 100_000, path);
        int minimumCalls = integer(block, "minimum_calls", 1, 100_000, path);
        int threshold = integer(block, "failure_rate_threshold", 1, 100, path);
        Duration open = duration(block, "open_duration", path);
        int halfOpen = integer(block, "half_open_calls", 1, 1000, path);
        Duration slow = duration(block, "slow_call_duration", path);
        return validated(path, () -> new CircuitBreakerConfig(type, windowSize, minimumCalls, threshold, open, halfOpen, slow));
    }

    private static RetryConfig retry(Object value, String path) {
        Map<String, Object> block = block(value, path, RETRY_KEYS);
        int maxAttempts = integer(block, "max_attempts", 1, 10, path);
        Set<RetryOn> retryOn = block.containsKey("retry_on") ? retryOn(block.get("retry_on"), path + ".retry_on") : null;
        Set<Integer> statuses = null;
        if (block.containsKey("retriable_statuses")) {
            statuses = new LinkedHashSet<>();
            for (Object item : list(block.get("retriable_statuses"), path + ".retriable_statuses")) {
                statuses.add(integerValue(item, 500, 599, path + ".retriable_statuses"));
            }
        }
        Set<Integer> retriable = statuses;
        Duration perTry = duration(block, "per_try_timeout", path);
        Duration total = duration(block, "total_timeout", path);
        Duration backoffBase = durationOrZero(block, "backoff_base", path);
        Duration backoffMax = durationOrZero(block, "backoff_max", path);
        RetryBudgetConfig budget = null;
        if (block.containsKey("budget")) {
            String at = path + ".budget";
            Map<String, Object> b = block(block.get("budget"), at, Set.of("percent", "min_concurrency"));
            int percent = b.containsKey("percent") ? integer(b, "percent", 1, 100, at) : RetryBudgetConfig.DEFAULT_PERCENT;
            int min = b.containsKey("min_concurrency") ? integer(b, "min_concurrency", 0, 100_000, at)
                    : RetryBudgetConfig.DEFAULT_MIN_CONCURRENCY;
            budget = validated(at, () -> new RetryBudgetConfig(percent, min));
        }
        RetryBudgetConfig retryBudget = budget;
        return validated(path, () -> new RetryConfig(maxAttempts, retryOn, retriable, perTry, total, backoffBase,
                backoffMax, retryBudget));
    }

    private static Set<RetryOn> retryOn(Object value, String path) {
        Set<RetryOn> out = EnumSet.noneOf(RetryOn.class);
        for (Object item : list(value, path)) {
            try {
                out.add(RetryOn.valueOf(String.valueOf(item).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": unknown retry condition '" + item
                        + "' (allowed: connect_failure, reset, retriable_status, per_try_timeout)");
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> block(Object value, String path, Set<String> allowed) {
        if (value == null) {
            return Map.of(); // `circuit_breaker:` with nothing after it: the block with its defaults
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(path + ": expected a mapping");
        }
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + path + "." + key + "'; allowed here: "
                        + new TreeSet<>(allowed));
            }
        }
        return (Map<String, Object>) map;
    }

    private static List<?> list(Object value, String path) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException(path + ": expected a list");
    }

    private static boolean enabled(Map<String, Object> block, String path) {
        Object value = block.get("enabled");
        if (value == null || value instanceof Boolean) {
            return value == null || (Boolean) value;
        }
        throw new IllegalArgumentException(path + ".enabled: expected true or false");
    }

    /** The value, or 0 (the records' "default") when absent. */
    private static int integer(Map<String, Object> block, String key, int min, int max, String path) {
        return block.containsKey(key) ? integerValue(block.get(key), min, max, path + "." + key) : 0;
    }

    private static int integerValue(Object value, int min, int max, String path) {
        if (value instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        throw new IllegalArgumentException(path + ": expected a whole number from " + min + " to " + max + ", got " + value);
    }

    private static Duration duration(Map<String, Object> block, String key, String path) {
        Duration value = durationOrZero(block, key, path);
        if (value != null && value.isZero()) {
            throw new IllegalArgumentException(path + "." + key + ": must be positive");
        }
        return value;
    }

    /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} (or {@code 0s}); null when absent. */
    private static Duration durationOrZero(Map<String, Object> block, String key, String path) {
        if (!block.containsKey(key)) {
            return null;
        }
        String text = String.valueOf(block.get(key));
        int unitStart = 0;
        while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0 || unitStart > 12) {
            throw new IllegalArgumentException(path + "." + key + ": must be a duration with a unit such as 250ms or 5s, was '" + text + "'");
        }
        long amount = Long.parseLong(text.substring(0, unitStart));
        return switch (text.substring(unitStart)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException(path + "." + key + ": unknown duration unit in '" + text
                    + "' (use ms, s, m or h)");
        };
    }

    private static <T> T validated(String path, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage());
        }
    }
}
