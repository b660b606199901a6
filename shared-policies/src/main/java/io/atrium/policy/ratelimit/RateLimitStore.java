package io.atrium.policy.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * Where GCRA state lives. One call decides one request against all limits of its rule atomically. Never blocks;
 * a store that cannot decide (e.g. Redis unreachable) completes the stage exceptionally.
 */
public interface RateLimitStore extends AutoCloseable {

    /** One request (one unit). */
    default CompletionStage<RateLimitResult> acquire(String key, LimitSet limits) {
        return acquire(key, limits, 1);
    }

    /**
     * A request weighing {@code units} (at least 1; e.g. a GraphQL operation's estimated cost): counted as that many
     * requests against every limit, all or nothing. A weight above a limit's burst is never allowed.
     */
    CompletionStage<RateLimitResult> acquire(String key, LimitSet limits, long units);

    @Override
    default void close() {
    }
}
