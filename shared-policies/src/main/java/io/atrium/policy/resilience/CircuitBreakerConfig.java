package io.atrium.policy.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * A cluster's circuit breaker. Failures are 5xx responses, connect failures, resets and timeouts, plus slow calls
 * when {@code slowCallDuration} is set.
 *
 * @param windowType how the sliding window is measured (default {@link WindowType#COUNT})
 * @param windowSize the window: the last N calls for {@code COUNT} (default 100), N seconds for {@code TIME} (default 60)
 * @param minimumCalls calls the window must hold before the failure rate is judged (default 20)
 * @param failureRateThreshold the circuit opens when at least this percentage of the window failed (default 50, 1-100)
 * @param openDuration how long the circuit stays open before letting probe calls through (default 30 s)
 * @param halfOpenCalls probe calls let through while half-open; their failure rate decides (default 5)
 * @param slowCallDuration calls taking at least this long count as failures; null (default) for no slow-call rule
 */
public record CircuitBreakerConfig(WindowType windowType, int windowSize, int minimumCalls, int failureRateThreshold,
                                   Duration openDuration, int halfOpenCalls, Duration slowCallDuration) {

    public enum WindowType { COUNT, TIME }

    public static final int DEFAULT_COUNT_WINDOW = 100;
    public static final int DEFAULT_TIME_WINDOW_SECONDS = 60;
    public static final int DEFAULT_MINIMUM_CALLS = 20;
    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);
    public static final int DEFAULT_HALF_OPEN_CALLS = 5;

    public static final CircuitBreakerConfig DEFAULT = new CircuitBreakerConfig(null, 0, 0, 0, null, 0, null);

    /** Null or non-positive arguments take their default. */
    public CircuitBreakerConfig {
        windowType = Objects.requireNonNullElse(windowType, WindowType.COUNT);
        windowSize = windowSize > 0 ? windowSize
                : windowType == WindowType.COUNT ? DEFAULT_COUNT_WINDOW : DEFAULT_TIME_WINDOW_SECONDS;
        minimumCalls = minimumCalls <= 0 ? DEFAULT_MINIMUM_CALLS : minimumCalls;
        failureRateThreshold = failureRateThreshold <= 0 ? DEFAULT_FAILURE_RATE_THRESHOLD : failureRateThreshold;
        openDuration = Objects.requireNonNullElse(openDuration, DEFAULT_OPEN_DURATION);
        halfOpenCalls = halfOpenCalls <= 0 ? DEFAULT_HALF_OPEN_CALLS : halfOpenCalls;
        if (failureRateThreshold > 100) {
            throw new IllegalArgumentException("circuit_breaker.failure_rate_threshold must be 1-100, was " + failureRateThreshold);
        }
        if (windowType == WindowType.COUNT && windowSize > 100_000) {
            throw new IllegalArgumentException("circuit_breaker.window_size must be at most 100000 calls");
        }
        if (windowType == WindowType.TIME && windowSize > 3600) {
            throw new IllegalArgumentException("circuit_breaker.window_size must be at most 3600 seconds");
        }
        if (windowType == WindowType.COUNT && minimumCalls > windowSize) {
            throw new IllegalArgumentException("circuit_breaker.minimum_calls (" + minimumCalls
                    + ") cannot exceed a count window's size (" + windowSize + ")");
        }
        if (openDuration.toMillis() < 1) {
            throw new IllegalArgumentException("circuit_breaker.open_duration must be at least 1ms");
        }
        if (slowCallDuration != null && slowCallDuration.toMillis() < 1) {
            throw new IllegalArgumentException("circuit_breaker.slow_call_duration must be at least 1ms");
        }
    }
}
