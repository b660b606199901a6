package io.atrium.policy.resilience;

import io.atrium.policy.Decision;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemTypes;
import io.atrium.policy.resilience.internal.CountWindow;
import io.atrium.policy.resilience.internal.FailureWindow;
import io.atrium.policy.resilience.internal.TimeWindow;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The circuit breaker of one cluster. CLOSED: calls flow and their outcomes fill a sliding window; once it holds
 * {@code minimumCalls} and the failure rate reaches the threshold, the circuit OPENs: calls are refused for
 * {@code openDuration}. Then HALF_OPEN: {@code halfOpenCalls} probe calls go; when all have completed, their failure
 * rate closes the circuit (below the threshold) or opens it again.
 *
 * <p>Lock-free: the state is one atomic reference to an immutable phase object (allocated only on transitions);
 * outcomes of calls admitted in an earlier phase are ignored by the current one.
 */
public final class CircuitBreaker {

    private final String cluster;
    private final CircuitBreakerConfig config;
    private final LongSupplier nanoClock;
    private final ResilienceListener listener;
    private final long slowCallNanos;
    private final AtomicReference<Phase> phase = new AtomicReference<>();
    private final ResilienceEvent.CircuitRejected rejectedEvent;

    private sealed interface Phase permits Closed, Open, HalfOpen {
        CircuitState state();
    }

    private static final class Closed implements Phase {
        final FailureWindow window;
        final CircuitPermit.Admitted permit = new CircuitPermit.Admitted(this);

        Closed(CircuitBreakerConfig config) {
            this.window = config.windowType() == CircuitBreakerConfig.WindowType.COUNT
                    ? new CountWindow(config.windowSize()) : new TimeWindow(config.windowSize());
        }

        @Override
        public CircuitState state() {
            return CircuitState.CLOSED;
        }
    }

    private record Open(long untilNanos) implements Phase {
        @Override
        public CircuitState state() {
            return CircuitState.OPEN;
        }
    }

    private static final class HalfOpen implements Phase {
        final AtomicInteger issued = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final CircuitPermit.Admitted permit = new CircuitPermit.Admitted(this);
        final CircuitPermit.Rejected busy = new CircuitPermit.Rejected(CircuitState.HALF_OPEN, 1);

        @Override
        public CircuitState state() {
            return CircuitState.HALF_OPEN;
        }
    }

    CircuitBreaker(String cluster, CircuitBreakerConfig config, LongSupplier nanoClock, ResilienceListener listener) {
        this.cluster = cluster;
        this.config = config;
        this.nanoClock = nanoClock;
        this.listener = listener;
        this.slowCallNanos = config.slowCallDuration() == null ? Long.MAX_VALUE : config.slowCallDuration().toNanos();
        this.phase.set(new Closed(config));
        this.rejectedEvent = new ResilienceEvent.CircuitRejected(cluster);
    }

    public CircuitBreakerConfig config() {
        return config;
    }

    public CircuitState state() {
        return phase.get().state();
    }

    /** Whether a call may go now. An open circuit whose time is up moves to half-open here. */
    public CircuitPermit acquire() {
        while (true) {
            Phase current = phase.get();
            switch (current) {
                case Closed closed -> {
                    return closed.permit;
                }
                case HalfOpen halfOpen -> {
                    // Read first so that rejected calls do not keep incrementing (and never wrap) the counter.
                    if (halfOpen.issued.get() < config.halfOpenCalls()
                            && halfOpen.issued.getAndIncrement() < config.halfOpenCalls()) {
                        return halfOpen.permit;
                    }
                    listener.onEvent(rejectedEvent);
                    return halfOpen.busy;
                }
                case Open open -> {
                    long remaining = open.untilNanos() - nanoClock.getAsLong();
                    if (remaining > 0) {
                        listener.onEvent(rejectedEvent);
                        return new CircuitPermit.Rejected(CircuitState.OPEN, Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L));
                    }
                    transition(open, new HalfOpen());
                }
            }
        }
    }

    /**
     * Records the outcome of an admitted call.
     *
     * @param failed whether the call failed (see {@link AttemptOutcome#failed()})
     * @param durationNanos how long the call took (to a response head, or to the failure)
     */
    public void record(CircuitPermit.Admitted permit, boolean failed, long durationNanos) {
        record(permit, failed, durationNanos, nanoClock.getAsLong());
    }

    /** {@link #record(CircuitPermit.Admitted, boolean, long)} with the time already read by the caller. */
    void record(CircuitPermit.Admitted permit, boolean failed, long durationNanos, long nowNanos) {
        boolean failure = failed || durationNanos >= slowCallNanos;
        Phase current = phase.get();
        if (permit.phase != current) {
            return;
        }
        switch (current) {
            case Closed closed -> recordClosed(closed, failure, nowNanos);
            case HalfOpen halfOpen -> recordHalfOpen(halfOpen, failure);
            case Open open -> {
            }
        }
    }

    /** Releases an admitted call that was abandoned before it had an outcome (e.g. the client went away). */
    public void release(CircuitPermit.Admitted permit) {
        if (permit.phase instanceof HalfOpen halfOpen && phase.get() == halfOpen) {
            recordHalfOpen(halfOpen, false);
        }
    }

    private void recordClosed(Closed closed, boolean failure, long now) {
        closed.window.record(failure, now);
        if (!failure) {
            return; // a success can only lower the failure rate
        }
        int calls = closed.window.calls(now);
        if (calls < config.minimumCalls()) {
            return;
        }
        if ((long) closed.window.failures(now) * 100 >= (long) config.failureRateThreshold() * calls) {
            transition(closed, open(now));
        }
    }

    private void recordHalfOpen(HalfOpen halfOpen, boolean failure) {
        if (failure) {
            halfOpen.failures.incrementAndGet();
        }
        if (halfOpen.completed.incrementAndGet() != config.halfOpenCalls()) {
            return;
        }
        boolean tooManyFailures = (long) halfOpen.failures.get() * 100 >= (long) config.failureRateThreshold() * config.halfOpenCalls();
        transition(halfOpen, tooManyFailures ? open(nanoClock.getAsLong()) : new Closed(config));
    }

    private Open open(long now) {
        return new Open(now + config.openDuration().toNanos());
    }

    private void transition(Phase from, Phase to) {
        if (phase.compareAndSet(from, to)) {
            listener.onEvent(new ResilienceEvent.CircuitTransition(cluster, from.state(), to.state()));
        }
    }

    /** The 503 {@code UPSTREAM_CIRCUIT_OPEN} reply for a refused call, with {@code Retry-After}. */
    public Decision.Reply reply(CircuitPermit.Rejected rejected, PolicyContext context) {
        return reply(rejected.retryAfterSeconds(), context.request().path(), context.requestId());
    }

    /** The 503 {@code UPSTREAM_CIRCUIT_OPEN} reply, for callers without a {@link PolicyContext}. */
    public static Decision.Reply reply(long retryAfterSeconds, String path, String requestId) {
        // The detail does not name the cluster: clients need not learn the gateway's topology.
        Problem problem = Problem.of(ProblemTypes.UPSTREAM_CIRCUIT_OPEN,
                "The upstream service is failing and calls to it are paused; retry after " + retryAfterSeconds + " s.",
                path, requestId);
        return new Decision.Reply("circuit_open", problem, List.of(new HttpHeader("Retry-After", Long.toString(retryAfterSeconds))));
    }
}
