package io.atrium.policy.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Passive outlier detection: endpoints that fail consecutive requests are ejected from load balancing for a while.
 *
 * @param consecutive5xx consecutive 5xx responses (per-try timeouts and resets after the request was sent count as
 *                       5xx) that eject an endpoint (default 5)
 * @param consecutiveConnectFailures consecutive connections that could not be established (or failed before the
 *                                   request was written) that eject an endpoint (default 5)
 * @param baseEjectionTime the first ejection's length; the n-th consecutive ejection lasts n times this (default 30 s)
 * @param maxEjectionTime the cap of an ejection's length (default 300 s, at least {@code baseEjectionTime}); an
 *                        endpoint that stays in rotation this long starts again at the base time
 * @param maxEjectionPercent at most this share of the cluster's endpoints is ejected at once, rounded down
 *                           (default 50; a one-endpoint cluster is then never ejected)
 */
public record OutlierDetectionConfig(int consecutive5xx, int consecutiveConnectFailures, Duration baseEjectionTime,
                                     Duration maxEjectionTime, int maxEjectionPercent) {

    public static final int DEFAULT_CONSECUTIVE_5XX = 5;
    public static final int DEFAULT_CONSECUTIVE_CONNECT_FAILURES = 5;
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 50;

    public static final OutlierDetectionConfig DEFAULT = new OutlierDetectionConfig(0, 0, null, null, 0);

    /** Null or non-positive arguments take their default. */
    public OutlierDetectionConfig {
        consecutive5xx = consecutive5xx <= 0 ? DEFAULT_CONSECUTIVE_5XX : consecutive5xx;
        consecutiveConnectFailures = consecutiveConnectFailures <= 0 ? DEFAULT_CONSECUTIVE_CONNECT_FAILURES : consecutiveConnectFailures;
        baseEjectionTime = Objects.requireNonNullElse(baseEjectionTime, DEFAULT_BASE_EJECTION_TIME);
        maxEjectionTime = Objects.requireNonNullElse(maxEjectionTime,
                DEFAULT_MAX_EJECTION_TIME.compareTo(baseEjectionTime) >= 0 ? DEFAULT_MAX_EJECTION_TIME : baseEjectionTime);
        maxEjectionPercent = maxEjectionPercent <= 0 ? DEFAULT_MAX_EJECTION_PERCENT : maxEjectionPercent;
        if (baseEjectionTime.toMillis() < 1) {
            throw new IllegalArgumentException("outlier_detection.base_ejection_time must be at least 1ms");
        }
        if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
            throw new IllegalArgumentException("outlier_detection.max_ejection_time must be at least base_ejection_time");
        }
        if (maxEjectionPercent > 100) {
            throw new IllegalArgumentException("outlier_detection.max_ejection_percent must be 1-100, was " + maxEjectionPercent);
        }
    }
}
