package io.atrium.edge.config.internal;

import io.atrium.policy.resilience.CircuitBreakerConfig;
import io.atrium.policy.resilience.ClusterResilienceConfig;
import io.atrium.policy.resilience.HealthCheckConfig;
import io.atrium.policy.resilience.LoadBalancing;
import io.atrium.policy.resilience.OutlierDetectionConfig;
import io.atrium.policy.resilience.RetryBudgetConfig;
import io.atrium.policy.resilience.RetryConfig;
import io.atrium.policy.resilience.RetryOn;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads a cluster's resilience blocks ({@code load_balancing}, {@code health_check}, {@code outlier_detection},
 * {@code circuit_breaker}, {@code retry}) onto the records of {@code io.atrium.policy.resilience}. Absent keys take the
 * library's defaults; the library's own validation errors are reported with the block's path.
 */
public final class ResilienceReader {

    private ResilienceReader() {
    }

    /** Reads the resilience keys of a cluster mapping (the caller calls {@code finish()} afterwards). */
    public static ClusterResilienceConfig read(YamlNode.Obj cluster) {
        LoadBalancing balancing = cluster.optional("load_balancing").map(ResilienceReader::loadBalancing).orElse(LoadBalancing.ROUND_ROBIN);
        HealthCheckConfig health = cluster.optional("health_check").map(ResilienceReader::healthCheck).orElse(null);
        Optional<YamlNode> outlierNode = cluster.optional("outlier_detection");
        // Present but switched off is null (no detection); absent is the library's default (detection on).
        OutlierDetectionConfig outliers = outlierNode.isPresent() ? outlierDetection(outlierNode.get()) : OutlierDetectionConfig.DEFAULT;
        CircuitBreakerConfig breaker = cluster.optional("circuit_breaker").map(ResilienceReader::circuitBreaker).orElse(null);
        RetryConfig retry = cluster.optional("retry").map(ResilienceReader::retry).orElse(RetryConfig.DEFAULT);
        return new ClusterResilienceConfig(balancing, health, outliers, breaker, retry);
    }

    private static LoadBalancing loadBalancing(YamlNode node) {
        String value = node.nonBlankString();
        return switch (value) {
            case "round_robin" -> LoadBalancing.ROUND_ROBIN;
            case "least_request" -> LoadBalancing.LEAST_REQUEST;
            case "weighted" -> LoadBalancing.WEIGHTED;
            default -> throw node.error("unknown load balancing '" + value + "' (allowed: round_robin, least_request, weighted)");
        };
    }

    private static HealthCheckConfig healthCheck(YamlNode node) {
        YamlNode.Obj block = node.object();
        if (!enabled(block)) {
            return null;
        }
        String path = block.optional("path").map(YamlNode::nonBlankString).orElse(null);
        Duration interval = block.optional("interval").map(YamlNode::duration).orElse(null);
        Duration unhealthyInterval = block.optional("unhealthy_interval").map(YamlNode::duration).orElse(null);
        Duration timeout = block.optional("timeout").map(YamlNode::duration).orElse(null);
        int healthy = block.optional("healthy_threshold").map(n -> n.integer(1, 100)).orElse(0);
        int unhealthy = block.optional("unhealthy_threshold").map(n -> n.integer(1, 100)).orElse(0);
        block.finish();
        return validated(node, () -> new HealthCheckConfig(path, interval, unhealthyInterval, timeout, healthy, unhealthy));
    }

    private static OutlierDetectionConfig outlierDetection(YamlNode node) {
        YamlNode.Obj block = node.object();
        if (!enabled(block)) {
            return null;
        }
        int consecutive5xx = block.optional("consecutive_5xx").map(n -> n.integer(1, 1000)).orElse(0);
        int connectFailures = block.optional("consecutive_connect_failures").map(n -> n.integer(1, 1000)).orElse(0);
        Duration base = block.optional("base_ejection_time").map(YamlNode::duration).orElse(null);
        Duration max = block.optional("max_ejection_time").map(YamlNode::duration).orElse(null);
        int percent = block.optional("max_ejection_percent").map(n -> n.integer(1, 100)).orElse(0);
        block.finish();
        return validated(node, () -> new OutlierDetectionConfig(consecutive5xx, connectFailures, base, max, percent));
    }

    private static CircuitBreakerConfig circuitBreaker(YamlNode node) {
        YamlNode.Obj block = node.object();
        if (!enabled(block)) {
            return null;
        }
        CircuitBreakerConfig.WindowType windowType = block.optional("window_type").map(n -> {
            String value = n.nonBlankString();
            return switch (value) {
                case "count" -> CircuitBreakerConfig.WindowType.COUNT;
                case "time" -> CircuitBreakerConfig.WindowType.TIME;
                default -> throw n.error("unknown window type '" + value + "' (allowed: count, time)");
            };
        }).orElse(null);
        int windowSize = block.optional("window_size").map(n -> n.integer(1, 100_000)).orElse(0);
        int minimumCalls = block.optional("minimum_calls").map(n -> n.integer(1, 100_000)).orElse(0);
        int threshold = block.optional("failure_rate_threshold").map(n -> n.integer(1, 100)).orElse(0);
        Duration open = block.optional("open_duration").map(YamlNode::duration).orElse(null);
        int halfOpen = block.optional("half_open_calls").map(n -> n.integer(1, 1000)).orElse(0);
        Duration slow = block.optional("slow_call_duration").map(YamlNode::duration).orElse(null);
        block.finish();
        return validated(node, () -> new CircuitBreakerConfig(windowType, windowSize, minimumCalls, threshold, open, halfOpen, slow));
    }

    private static RetryConfig retry(YamlNode node) {
        YamlNode.Obj block = node.object();
        int maxAttempts = block.optional("max_attempts").map(n -> n.integer(1, 10)).orElse(0);
        Set<RetryOn> retryOn = block.optional("retry_on").map(ResilienceReader::retryOn).orElse(null);
        Set<Integer> statuses = block.optional("retriable_statuses").map(n -> {
            Set<Integer> out = new LinkedHashSet<>();
            for (YamlNode item : n.list()) {
                out.add(item.integer(500, 599));
            }
            return out;
        }).orElse(null);
        Duration perTry = block.optional("per_try_timeout").map(YamlNode::duration).orElse(null);
        Duration total = block.optional("total_timeout").map(YamlNode::duration).orElse(null);
        Duration backoffBase = block.optional("backoff_base").map(YamlNode::durationOrZero).orElse(null);
        Duration backoffMax = block.optional("backoff_max").map(YamlNode::durationOrZero).orElse(null);
        RetryBudgetConfig budget = block.optional("budget").map(n -> {
            YamlNode.Obj b = n.object();
            int percent = b.optional("percent").map(p -> p.integer(1, 100)).orElse(RetryBudgetConfig.DEFAULT_PERCENT);
            int min = b.optional("min_concurrency").map(p -> p.integer(0, 100_000)).orElse(RetryBudgetConfig.DEFAULT_MIN_CONCURRENCY);
            b.finish();
            return validated(n, () -> new RetryBudgetConfig(percent, min));
        }).orElse(null);
        block.finish();
        return validated(node, () -> new RetryConfig(maxAttempts, retryOn, statuses, perTry, total, backoffBase, backoffMax, budget));
    }

    private static Set<RetryOn> retryOn(YamlNode node) {
        Set<RetryOn> out = EnumSet.noneOf(RetryOn.class);
        for (YamlNode item : node.list()) {
            String value = item.nonBlankString();
            try {
                out.add(RetryOn.valueOf(value.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw item.error("unknown retry condition '" + value + "' (allowed: connect_failure, reset, retriable_status, per_try_timeout)");
            }
        }
        return out;
    }

    /** {@code enabled: false} switches a block off; the key is optional. */
    private static boolean enabled(YamlNode.Obj block) {
        return block.optional("enabled").map(YamlNode::bool).orElse(true);
    }

    private static <T> T validated(YamlNode node, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }
}
