package io.atrium.router.observe;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The W3C trace context (Trace Context Level 1, {@code traceparent}) of one client request: its trace id and flags,
 * continued to every subgraph call with a span id of its own. A request without a valid {@code traceparent} starts
 * a new trace (flags {@code 00}: no sampling decision is forced on the subgraphs).
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param parentId the caller's span id (16 hex digits), or null when the trace started here
 * @param flags   2 hex digits
 * @param spans   with OpenTelemetry tracing on, the request's spans, whose ids these are (the subgraphs then receive
 *                each fetch span's context); null when tracing is off
 */
public record TraceContext(String traceId, String parentId, String flags, OperationSpans spans) {
    public static final String HEADER = "traceparent";

    /** A trace without spans (tracing off). */
    public TraceContext(String traceId, String parentId, String flags) {
        this(traceId, parentId, flags, null);
    }

    /**
     * Lines logged on this thread until the scope closes name this trace ({@code trace_id}) and, with tracing on, the
     * router's SERVER span ({@code span_id}); see {@link io.atrium.policy.observability.LogTrace}.
     */
    public io.atrium.policy.observability.LogTrace.Scope logScope() {
        return io.atrium.policy.observability.LogTrace.open(traceId, spans == null ? null : spans.spanId());
    }

    /** This trace with other spans as the parents of what starts next. */
    public TraceContext withSpans(OperationSpans next) {
        return new TraceContext(traceId, parentId, flags, next);
    }

    /** The caller's {@code traceparent} when it is valid (version 00, or a later one read as 00), else a new trace. */
    public static TraceContext continueOrStart(String traceparent) {
        if (traceparent != null && traceparent.length() >= 55 && traceparent.charAt(2) == '-'
                && traceparent.charAt(35) == '-' && traceparent.charAt(52) == '-'
                && (traceparent.length() == 55 || !traceparent.startsWith("00"))) {
            String version = traceparent.substring(0, 2);
            String traceId = traceparent.substring(3, 35);
            String parentId = traceparent.substring(36, 52);
            String flags = traceparent.substring(53, 55);
            if (hex(version) && !version.equals("ff") && hex(traceId) && !zero(traceId) && hex(parentId)
                    && !zero(parentId) && hex(flags)) {
                return new TraceContext(traceId, parentId, flags);
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high;
        long low;
        do {
            high = random.nextLong();
            low = random.nextLong();
        } while (high == 0 && low == 0);
        return new TraceContext(hex16(high) + hex16(low), null, "00");
    }

    /** A {@code traceparent} for one subgraph call when tracing is off: this trace, a new span id. */
    public String childHeader() {
        long span;
        do {
            span = ThreadLocalRandom.current().nextLong();
        } while (span == 0);
        return "00-" + traceId + "-" + hex16(span) + "-" + flags;
    }

    private static boolean hex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
