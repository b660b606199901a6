package io.atrium.policy.resilience.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/** The last N calls, as a ring of slots; running totals are adjusted by exactly what each overwrite replaced. */
public final class CountWindow implements FailureWindow {

    private static final int EMPTY = 0;
    private static final int SUCCESS = 1;
    private static final int FAILURE = 2;

    private final AtomicIntegerArray slots;
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    public CountWindow(int size) {
        this.slots = new AtomicIntegerArray(size);
    }

    @Override
    public void record(boolean failed, long nowNanos) {
        int slot = (int) ((cursor.getAndIncrement() & Long.MAX_VALUE) % slots.length());
        int previous = slots.getAndSet(slot, failed ? FAILURE : SUCCESS);
        if (previous == EMPTY) {
            calls.incrementAndGet();
        }
        if (previous == FAILURE && !failed) {
            failures.decrementAndGet();
        } else if (previous != FAILURE && failed) {
            failures.incrementAndGet();
        }
    }

    @Override
    public int calls(long nowNanos) {
        return calls.get();
    }

    @Override
    public int failures(long nowNanos) {
        return failures.get();
    }
}
