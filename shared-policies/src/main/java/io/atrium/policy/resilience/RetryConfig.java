package io.atrium.policy.resilience;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Retries of a cluster (or route). Only idempotent methods are retried, except when the request provably never
 * reached the upstream; nothing is retried once response bytes went to the client.
 *
 * @param maxAttempts attempts in total, the first included (default 2; 1 disables retries)
 * @param retryOn the retriable conditions (default all of {@link RetryOn})
 * @param retriableStatuses the statuses {@link RetryOn#RETRIABLE_STATUS} matches (default 502, 503, 504; each 500-599)
 * @param perTryTimeout a response head must arrive within this per attempt; null (default) for the cluster's response timeout
 * @param totalTimeout no attempt is started (and no backoff waited) beyond this time after the first (default 15 s)
 * @param backoffBase the backoff before retry n is random in [0, min(backoffMax, backoffBase × 2^(n-1))] (default 25 ms)
 * @param backoffMax the cap of the backoff (default 250 ms, at least {@code backoffBase})
 * @param budget the retry budget (default {@link RetryBudgetConfig#DEFAULT})
 */
public record RetryConfig(int maxAttempts, Set<RetryOn> retryOn, Set<Integer> retriableStatuses, Duration perTryTimeout,
                          Duration totalTimeout, Duration backoffBase, Duration backoffMax, RetryBudgetConfig budget) {

    public static final int DEFAULT_MAX_ATTEMPTS = 2;
    public static final Set<Integer> DEFAULT_RETRIABLE_STATUSES = Set.of(502, 503, 504);
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(25);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMillis(250);

    public static final RetryConfig DEFAULT = new RetryConfig(0, null, null, null, null, null, null, null);
    /** One attempt only. */
    public static final RetryConfig NONE = new RetryConfig(1, null, null, null, null, null, null, null);

    /** Null or non-positive arguments take their default. */
    public RetryConfig {
        maxAttempts = maxAttempts <= 0 ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
        retryOn = retryOn == null ? Set.copyOf(EnumSet.allOf(RetryOn.class)) : Set.copyOf(retryOn);
        retriableStatuses = retriableStatuses == null ? DEFAULT_RETRIABLE_STATUSES : Set.copyOf(retriableStatuses);
        totalTimeout = Objects.requireNonNullElse(totalTimeout, DEFAULT_TOTAL_TIMEOUT);
        backoffBase = Objects.requireNonNullElse(backoffBase, DEFAULT_BACKOFF_BASE);
        backoffMax = Objects.requireNonNullElse(backoffMax,
                DEFAULT_BACKOFF_MAX.compareTo(backoffBase) >= 0 ? DEFAULT_BACKOFF_MAX : backoffBase);
        budget = Objects.requireNonNullElse(budget, RetryBudgetConfig.DEFAULT);
        if (maxAttempts > 10) {
            throw new IllegalArgumentException("retry.max_attempts must be 1-10, was " + maxAttempts);
        }
        for (int status : retriableStatuses) {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("retry.retriable_statuses must be 5xx, found " + status);
            }
        }
        if (perTryTimeout != null && perTryTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("retry.per_try_timeout must be at least 1ms");
        }
        if (totalTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("retry.total_timeout must be at least 1ms");
        }
        if (backoffBase.isNegative() || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("retry.backoff_base must not be negative and backoff_max must be at least backoff_base");
        }
    }
}
