package io.atrium.policy.resilience;

import java.util.random.RandomGenerator;

/**
 * The retry rules of one cluster, as pure decisions (the budget is applied by {@link UpstreamCall}).
 * Immutable and thread-safe; no allocation except the {@link RetryDecision.Retry} of a granted retry.
 */
public final class RetryPolicy {

    private final RetryConfig config;
    private final RandomGenerator random;
    private final boolean[] retriableStatus = new boolean[600];
    private final boolean onConnectFailure;
    private final boolean onReset;
    private final boolean onStatus;
    private final boolean onTimeout;
    private final long baseNanos;
    private final long maxNanos;
    private final long totalTimeoutNanos;

    public RetryPolicy(RetryConfig config, RandomGenerator random) {
        this.config = config;
        this.random = random;
        for (int status : config.retriableStatuses()) {
            retriableStatus[status] = true;
        }
        this.onConnectFailure = config.retryOn().contains(RetryOn.CONNECT_FAILURE);
        this.onReset = config.retryOn().contains(RetryOn.RESET);
        this.onStatus = config.retryOn().contains(RetryOn.RETRIABLE_STATUS);
        this.onTimeout = config.retryOn().contains(RetryOn.PER_TRY_TIMEOUT);
        this.baseNanos = config.backoffBase().toNanos();
        this.maxNanos = config.backoffMax().toNanos();
        this.totalTimeoutNanos = config.totalTimeout().toNanos();
    }

    public RetryConfig config() {
        return config;
    }

    /** RFC 9110 §9.2.2 idempotent methods. */
    public static boolean idempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> false;
        };
    }

    /**
     * Whether the attempt that just ended may be retried, before the budget is consulted.
     *
     * @param method the request method, upper case
     * @param outcome how the attempt ended
     * @param attemptsMade attempts made so far, the one that just ended included
     * @param elapsedNanos time since the first attempt started
     * @param responseStarted whether response bytes already went to the client
     */
    public RetryDecision decide(String method, AttemptOutcome outcome, int attemptsMade, long elapsedNanos, boolean responseStarted) {
        return decide(idempotent(method), outcome, attemptsMade, elapsedNanos, responseStarted);
    }

    /** {@link #decide(String, AttemptOutcome, int, long, boolean)} with the request's idempotence already known. */
    public RetryDecision decide(boolean idempotent, AttemptOutcome outcome, int attemptsMade, long elapsedNanos, boolean responseStarted) {
        if (responseStarted || outcome == AttemptOutcome.Failure.RESPONSE_INTERRUPTED) {
            return RetryDecision.NoRetry.of(RetryDecision.Reason.RESPONSE_STARTED);
        }
        if (!retriable(outcome)) {
            return RetryDecision.NoRetry.of(RetryDecision.Reason.NOT_RETRIABLE);
        }
        boolean neverSent = outcome instanceof AttemptOutcome.Failure failure && failure.requestNeverSent();
        if (!neverSent && !idempotent) {
            return RetryDecision.NoRetry.of(RetryDecision.Reason.NOT_IDEMPOTENT);
        }
        if (attemptsMade >= config.maxAttempts()) {
            return RetryDecision.NoRetry.of(RetryDecision.Reason.ATTEMPTS_EXHAUSTED);
        }
        long delay = backoffNanos(attemptsMade);
        if (elapsedNanos + delay >= totalTimeoutNanos) {
            return RetryDecision.NoRetry.of(RetryDecision.Reason.TOTAL_TIMEOUT);
        }
        return new RetryDecision.Retry(delay);
    }

    private boolean retriable(AttemptOutcome outcome) {
        return switch (outcome) {
            case AttemptOutcome.Response response -> onStatus && response.status() < 600 && retriableStatus[response.status()];
            case AttemptOutcome.Failure failure -> switch (failure) {
                case CONNECT_FAILED, RESET_BEFORE_REQUEST_SENT -> onConnectFailure;
                case RESET_BEFORE_RESPONSE -> onReset;
                case PER_TRY_TIMEOUT -> onTimeout;
                case RESPONSE_INTERRUPTED -> false;
            };
        };
    }

    /**
     * The backoff before retry number {@code retry} (1 for the first retry): full jitter, uniformly random in
     * [0, min(max, base × 2^(retry-1))].
     */
    public long backoffNanos(int retry) {
        int shift = Math.min(30, Math.max(0, retry - 1));
        long ceiling = baseNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, baseNanos << shift);
        return ceiling <= 0 ? 0 : random.nextLong(ceiling + 1);
    }

    /** Per-try timeout in nanoseconds, or 0 when none is configured. */
    public long perTryTimeoutNanos() {
        return config.perTryTimeout() == null ? 0 : config.perTryTimeout().toNanos();
    }

    public long totalTimeoutNanos() {
        return totalTimeoutNanos;
    }
}
