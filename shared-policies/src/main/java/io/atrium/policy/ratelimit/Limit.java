package io.atrium.policy.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One limit: {@code requests} per {@code period}, enforced with GCRA (a leaky bucket without a timer), which lets
 * up to {@code burst} requests through at once and then one every {@code period / requests}.
 *
 * @param requests requests allowed per period; at least 1
 * @param period the window; at least 1 ms
 * @param burst how many requests may arrive at once (default {@code requests})
 */
public record Limit(long requests, Duration period, long burst) {

    public Limit {
        Objects.requireNonNull(period, "period");
        if (requests < 1) {
            throw new IllegalArgumentException("rate limit: requests must be at least 1");
        }
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException("rate limit: period must be at least 1ms");
        }
        if (period.toNanos() / 1000 / requests < 1) {
            throw new IllegalArgumentException("rate limit: more than one request per microsecond is not supported");
        }
        burst = burst <= 0 ? requests : burst;
    }

    public static Limit of(long requests, Duration period) {
        return new Limit(requests, period, 0);
    }

    public static Limit perSecond(long requests) {
        return of(requests, Duration.ofSeconds(1));
    }

    /** Time between two requests at the steady rate, in microseconds. */
    public long emissionIntervalMicros() {
        return period.toNanos() / 1000 / requests;
    }

    /** How far ahead of now the theoretical arrival time may run, in microseconds. */
    public long toleranceMicros() {
        return emissionIntervalMicros() * burst;
    }

    /** A stable name for the limit's store key, e.g. {@code 20/1000ms/b20}. */
    public String keySuffix() {
        return requests + "/" + period.toMillis() + "ms/b" + burst;
    }
}
