package io.atrium.policy.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * Where GCRA state lives. One call decides one request against all limits of its rule atomically. Never blocks;
 * a store that cannot decide (e.g. Redis unreachable) completes the stage exceptionally.
 */
public interface RateLimitStore extends AutoCloseable {

    CompletionStage<RateLimitResult> acquire(String key, LimitSet limits);

    @Override
    default void close() {
    }
}
