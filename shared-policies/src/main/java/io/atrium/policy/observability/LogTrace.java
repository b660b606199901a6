package io.atrium.policy.observability;

import org.slf4j.MDC;

/**
 * The trace of the request a thread is working for, as the MDC entries {@code trace_id} (and {@code span_id} when a
 * real span is known) that the shared JSON encoder writes into every line it logs (its {@code mdc} object): a warning
 * logged deep inside a request then names the request's trace like its access line does.
 *
 * <p>Event-loop code handles many requests on one thread, so an entry is only ever set for the duration of one event
 * ({@link #open} restores what was there before) and never left behind for the next request's lines. With no trace id
 * and nothing to hide, {@link #open} costs one thread-local read and allocates nothing.
 */
public final class LogTrace {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    /** Closes nothing: there was no trace to set and none to hide. */
    private static final Scope NONE = () -> { };

    private LogTrace() {
    }

    /** What {@link #open} set, undone by {@link #close()} (which never fails). */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private record Restore(String traceId, String spanId) implements Scope {
        @Override
        public void close() {
            set(traceId, spanId);
        }
    }

    /**
     * Lines logged on this thread until the scope is closed carry {@code traceId} and {@code spanId} (either null: the
     * entry is absent, never inherited from whatever the thread handled before).
     */
    public static Scope open(String traceId, String spanId) {
        String previousTrace = MDC.get(TRACE_ID);
        if (traceId == null && previousTrace == null) {
            return NONE;
        }
        String previousSpan = MDC.get(SPAN_ID);
        set(traceId, spanId);
        return new Restore(previousTrace, previousSpan);
    }

    /** {@link #open} with the trace id of a W3C {@code traceparent} header (none when it is absent or malformed). */
    public static Scope openTraceparent(String traceparent) {
        return open(TraceParent.traceIdOf(traceparent), null);
    }

    /**
     * Replaces this thread's entries (null removes one). Only for code that already runs inside a scope it opened (or
     * clears at the end of its event): the request it handles changed, e.g. the next pipelined request began.
     */
    public static void set(String traceId, String spanId) {
        put(TRACE_ID, traceId);
        put(SPAN_ID, spanId);
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        } else if (MDC.get(key) != null) {
            MDC.remove(key);
        }
    }
}
