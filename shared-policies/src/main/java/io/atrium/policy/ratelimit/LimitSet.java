package io.atrium.policy.ratelimit;

import java.util.List;

/** The limits of one rate-limit rule, precomputed once at load for the per-request math and the store keys. */
public final class LimitSet {

    private final List<Limit> limits;
    final long[] emission;
    final long[] tolerance;
    final long[] requests;
    /** Redis key suffixes: each limit's state, then each limit's outstanding leases. */
    final String[] redisKeySuffixes;
    /** The Redis script's ARGV: emission interval and tolerance of each limit, in microseconds. */
    final String[] scriptArgs;

    public LimitSet(List<Limit> limits) {
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("rate limit: at least one limit is required");
        }
        this.limits = List.copyOf(limits);
        int n = limits.size();
        emission = new long[n];
        tolerance = new long[n];
        requests = new long[n];
        scriptArgs = new String[2 * n];
        redisKeySuffixes = new String[2 * n];
        for (int i = 0; i < n; i++) {
            Limit limit = limits.get(i);
            emission[i] = limit.emissionIntervalMicros();
            tolerance[i] = limit.toleranceMicros();
            requests[i] = limit.burst();
            redisKeySuffixes[i] = limit.keySuffix();
            redisKeySuffixes[n + i] = limit.keySuffix() + ":leases";
            scriptArgs[2 * i] = Long.toString(emission[i]);
            scriptArgs[2 * i + 1] = Long.toString(tolerance[i]);
        }
    }

    public int size() {
        return emission.length;
    }

    public List<Limit> limits() {
        return limits;
    }

    /** The longest time any limit's state stays relevant, in microseconds. */
    long maxToleranceMicros() {
        long max = 0;
        for (long t : tolerance) {
            max = Math.max(max, t);
        }
        return max;
    }
}
