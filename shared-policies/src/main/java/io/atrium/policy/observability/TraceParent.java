package io.atrium.policy.observability;

/**
 * The W3C Trace Context {@code traceparent} header in its version 00 form:
 * {@code 00-<32 hex trace id, not all zero>-<16 hex parent id, not all zero>-<2 hex flags>} (lower-case hex). Shared
 * by the edge (which continues or starts traces) and the BFFs (whose access log names the caller's trace).
 */
public final class TraceParent {
    public static final String HEADER = "traceparent";

    private TraceParent() {
    }

    /** Whether {@code value} is a well-formed version 00 {@code traceparent}. */
    public static boolean isValid(String value) {
        if (value == null || value.length() != 55 || value.charAt(0) != '0' || value.charAt(1) != '0'
                || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return false;
        }
        return isHex(value, 3, 35) && isHex(value, 36, 52) && isHex(value, 53, 55)
                && !allZero(value, 3, 35) && !allZero(value, 36, 52);
    }

    /** The trace id (32 hex digits) of a well-formed {@code traceparent}, else null. */
    public static String traceIdOf(String value) {
        return isValid(value) ? value.substring(3, 35) : null;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
