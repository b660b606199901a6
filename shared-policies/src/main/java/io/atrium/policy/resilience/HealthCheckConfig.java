package io.atrium.policy.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health checking of a cluster's endpoints. The edge sends the probe; the library keeps the state.
 *
 * @param path the path the edge probes with {@code GET} (default {@code /health})
 * @param interval time between probes of a healthy endpoint (default 10 s, at least 100 ms)
 * @param unhealthyInterval time between probes of an unhealthy endpoint (default: {@code interval})
 * @param timeout a probe without a response head in this time failed (default 2 s; at most {@code interval})
 * @param healthyThreshold consecutive successful probes that make an unhealthy endpoint healthy (default 2)
 * @param unhealthyThreshold consecutive failed probes that make a healthy endpoint unhealthy (default 3)
 */
public record HealthCheckConfig(String path, Duration interval, Duration unhealthyInterval, Duration timeout,
                                int healthyThreshold, int unhealthyThreshold) {

    public static final String DEFAULT_PATH = "/health";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;

    public static final HealthCheckConfig DEFAULT = new HealthCheckConfig(null, null, null, null, 0, 0);

    /** Null or non-positive arguments take their default. */
    public HealthCheckConfig {
        path = Objects.requireNonNullElse(path, DEFAULT_PATH);
        interval = Objects.requireNonNullElse(interval, DEFAULT_INTERVAL);
        unhealthyInterval = Objects.requireNonNullElse(unhealthyInterval, interval);
        timeout = Objects.requireNonNullElse(timeout, DEFAULT_TIMEOUT.compareTo(interval) < 0 ? DEFAULT_TIMEOUT : interval);
        healthyThreshold = healthyThreshold <= 0 ? DEFAULT_HEALTHY_THRESHOLD : healthyThreshold;
        unhealthyThreshold = unhealthyThreshold <= 0 ? DEFAULT_UNHEALTHY_THRESHOLD : unhealthyThreshold;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("health_check.path must start with '/', was '" + path + "'");
        }
        if (interval.toMillis() < 100 || unhealthyInterval.toMillis() < 100) {
            throw new IllegalArgumentException("health_check.interval and unhealthy_interval must be at least 100ms");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("health_check.timeout must be positive and at most the interval (" + interval + ")");
        }
    }
}
