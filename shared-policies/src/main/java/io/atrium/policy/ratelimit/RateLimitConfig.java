package io.atrium.policy.ratelimit;

import java.util.List;
import java.util.Objects;

/**
 * The rate limit of one route.
 *
 * @param key what to count by
 * @param limits one or more limits (e.g. 20/s and 1000/h); a request must pass all of them
 * @param bucket the name of the counters, or null (default) for the route id; routes naming the same bucket share it
 * @param onStoreFailure what to do when the store cannot decide (default {@link FailureMode#OPEN})
 */
public record RateLimitConfig(RateLimitKey key, List<Limit> limits, String bucket, FailureMode onStoreFailure) {

    /** Behaviour while the shared store is unreachable. */
    public enum FailureMode {
        /** Let requests through, unlimited, and count them. */
        OPEN,
        /** Refuse requests with 503. */
        CLOSED
    }

    public RateLimitConfig {
        Objects.requireNonNull(key, "key");
        limits = List.copyOf(limits);
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("rate limit: at least one limit is required");
        }
        onStoreFailure = Objects.requireNonNullElse(onStoreFailure, FailureMode.OPEN);
    }

    public static RateLimitConfig of(RateLimitKey key, Limit... limits) {
        return new RateLimitConfig(key, List.of(limits), null, null);
    }
}
