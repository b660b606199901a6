package io.atrium.policy.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster's retry budget: retries in flight may be at most {@code percent} of active requests, with
 * {@code minConcurrency} always allowed. Two atomics; no lock.
 */
public final class RetryBudget {

    private final RetryBudgetConfig config;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();

    RetryBudget(RetryBudgetConfig config) {
        this.config = config;
    }

    void requestStarted() {
        activeRequests.incrementAndGet();
    }

    void requestFinished() {
        activeRequests.decrementAndGet();
    }

    /** Takes one retry from the budget; false when it is used up. Pair a true result with {@link #releaseRetry()}. */
    boolean tryAcquireRetry() {
        while (true) {
            int retries = activeRetries.get();
            long allowed = Math.max(config.minConcurrency(), (long) activeRequests.get() * config.percent() / 100);
            if (retries >= allowed) {
                return false;
            }
            if (activeRetries.compareAndSet(retries, retries + 1)) {
                return true;
            }
        }
    }

    void releaseRetry() {
        activeRetries.decrementAndGet();
    }

    public int activeRequests() {
        return activeRequests.get();
    }

    public int activeRetries() {
        return activeRetries.get();
    }
}
