package io.atrium.policy.resilience.internal;

/** The circuit breaker's sliding window of call outcomes. Lock-free; reads may lag concurrent writes by a call or two. */
public sealed interface FailureWindow permits CountWindow, TimeWindow {

    /** Records one call's outcome at {@code nowNanos}. */
    void record(boolean failed, long nowNanos);

    /** Calls in the window at {@code nowNanos}. */
    int calls(long nowNanos);

    /** Failed calls in the window at {@code nowNanos}. */
    int failures(long nowNanos);
}
