package io.atrium.policy.ratelimit;

/**
 * The generic cell rate algorithm over several limits at once. State per limit is one number, the theoretical
 * arrival time (TAT, microseconds). A request at {@code now} is allowed by a limit when
 * {@code max(tat, now) + emission - now <= tolerance}; it is allowed when every limit allows it, and only then
 * are all TATs advanced (all-or-nothing, so a refused request costs nothing).
 *
 * <p>A request may weigh several units (a GraphQL operation's estimated cost): it then advances every TAT by
 * {@code units} emission intervals, and the remaining counts are in units. One unit is the plain request.
 *
 * <p>The Redis store runs the same rule in Lua and returns the TATs it read, so headers are computed here for both
 * stores.
 */
public final class Gcra {

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private Gcra() {
    }

    /** True when every limit allows a request at {@code now} given the stored TATs (0 = no state). */
    public static boolean allows(LimitSet limits, long now, long[] tats) {
        return allows(limits, now, tats, 1);
    }

    /** True when every limit allows a request of {@code units} units at {@code now}. */
    public static boolean allows(LimitSet limits, long now, long[] tats, long units) {
        for (int i = 0; i < limits.size(); i++) {
            if (Math.max(tats[i], now) + limits.emission[i] * units - now > limits.tolerance[i]) {
                return false;
            }
        }
        return true;
    }

    /** Advances every TAT for an allowed request, in place. */
    public static void advance(LimitSet limits, long now, long[] tats) {
        advance(limits, now, tats, 1);
    }

    /** Advances every TAT for an allowed request of {@code units} units, in place. */
    public static void advance(LimitSet limits, long now, long[] tats, long units) {
        for (int i = 0; i < limits.size(); i++) {
            tats[i] = Math.max(tats[i], now) + limits.emission[i] * units;
        }
    }

    /**
     * The result for a request at {@code now} given the TATs read before the decision. Allowed: the limit with the
     * fewest remaining requests is reported. Refused: the limit that needs the longest wait is reported.
     */
    public static RateLimitResult result(LimitSet limits, long now, long[] tatsBefore) {
        return result(limits, now, tatsBefore, 1);
    }

    /** {@link #result(LimitSet, long, long[])} for a request of {@code units} units; remaining counts are units. */
    public static RateLimitResult result(LimitSet limits, long now, long[] tatsBefore, long units) {
        boolean allowed = allows(limits, now, tatsBefore, units);
        int chosen = -1;
        long best = 0;
        for (int i = 0; i < limits.size(); i++) {
            long newTat = Math.max(tatsBefore[i], now) + limits.emission[i] * units;
            if (allowed) {
                long remaining = (limits.tolerance[i] - (newTat - now)) / limits.emission[i];
                if (chosen < 0 || remaining < best) {
                    chosen = i;
                    best = remaining;
                }
            } else {
                long wait = newTat - now - limits.tolerance[i];
                if (chosen < 0 || wait > best) {
                    chosen = i;
                    best = wait;
                }
            }
        }
        long newTat = Math.max(tatsBefore[chosen], now) + limits.emission[chosen] * units;
        if (allowed) {
            return new RateLimitResult(true, limits.requests[chosen], best, ceilSeconds(newTat - now), 0);
        }
        long resetMicros = Math.max(tatsBefore[chosen], now) - now;
        return new RateLimitResult(false, limits.requests[chosen], 0, ceilSeconds(resetMicros), Math.max(1, ceilSeconds(best)));
    }

    /** Microseconds until a request of {@code units} units would be allowed at {@code now} (0: allowed now). */
    static long waitMicros(LimitSet limits, long now, long[] tats, long units) {
        long wait = 0;
        for (int i = 0; i < limits.size(); i++) {
            wait = Math.max(wait, Math.max(tats[i], now) + limits.emission[i] * units - now - limits.tolerance[i]);
        }
        return wait;
    }

    private static long ceilSeconds(long micros) {
        return micros <= 0 ? 0 : (micros + MICROS_PER_SECOND - 1) / MICROS_PER_SECOND;
    }
}
