package io.atrium.policy.resilience;

/**
 * Limits retries so that they cannot multiply load on a failing cluster: retries in flight may be at most
 * {@code percent} of the cluster's active requests, but {@code minConcurrency} retries are always allowed.
 *
 * @param percent retries in flight as a share of active requests (default 20, 1-100)
 * @param minConcurrency retries in flight allowed regardless of the share (default 3)
 */
public record RetryBudgetConfig(int percent, int minConcurrency) {

    public static final int DEFAULT_PERCENT = 20;
    public static final int DEFAULT_MIN_CONCURRENCY = 3;
    public static final RetryBudgetConfig DEFAULT = new RetryBudgetConfig(DEFAULT_PERCENT, DEFAULT_MIN_CONCURRENCY);

    public RetryBudgetConfig {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("retry.budget.percent must be 1-100, was " + percent);
        }
        if (minConcurrency < 0) {
            throw new IllegalArgumentException("retry.budget.min_concurrency must not be negative");
        }
    }
}
