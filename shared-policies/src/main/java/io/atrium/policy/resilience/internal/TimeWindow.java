package io.atrium.policy.resilience.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The calls of the last N seconds, as one bucket per second. A bucket is one long updated by CAS:
 * 24 bits of epoch second, 20 bits of calls, 20 bits of failures (a bucket saturates at about a million calls per
 * second, far above what one instance sends one cluster).
 */
public final class TimeWindow implements FailureWindow {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long COUNT_MASK = (1L << 20) - 1;
    private static final long EPOCH_MASK = (1L << 24) - 1;

    private final AtomicLongArray buckets;
    private final int seconds;

    public TimeWindow(int seconds) {
        this.seconds = seconds;
        this.buckets = new AtomicLongArray(seconds);
    }

    @Override
    public void record(boolean failed, long nowNanos) {
        long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        int index = (int) Math.floorMod(second, (long) seconds);
        long epoch = second & EPOCH_MASK;
        while (true) {
            long current = buckets.get(index);
            long next;
            if (epochOf(current) != epoch || current == 0) {
                next = pack(epoch, 1, failed ? 1 : 0);
            } else {
                long calls = Math.min(COUNT_MASK, callsOf(current) + 1);
                long failures = Math.min(calls, failuresOf(current) + (failed ? 1 : 0));
                next = pack(epoch, calls, failures);
            }
            if (buckets.compareAndSet(index, current, next)) {
                return;
            }
        }
    }

    @Override
    public int calls(long nowNanos) {
        return sum(nowNanos, false);
    }

    @Override
    public int failures(long nowNanos) {
        return sum(nowNanos, true);
    }

    private int sum(long nowNanos, boolean failuresOnly) {
        long epochNow = Math.floorDiv(nowNanos, NANOS_PER_SECOND) & EPOCH_MASK;
        long total = 0;
        for (int i = 0; i < seconds; i++) {
            long bucket = buckets.get(i);
            if (bucket == 0 || ((epochNow - epochOf(bucket)) & EPOCH_MASK) >= seconds) {
                continue;
            }
            total += failuresOnly ? failuresOf(bucket) : callsOf(bucket);
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    private static long pack(long epoch, long calls, long failures) {
        return (epoch << 40) | (calls << 20) | failures;
    }

    private static long epochOf(long bucket) {
        return bucket >>> 40;
    }

    private static long callsOf(long bucket) {
        return (bucket >>> 20) & COUNT_MASK;
    }

    private static long failuresOf(long bucket) {
        return bucket & COUNT_MASK;
    }
}
