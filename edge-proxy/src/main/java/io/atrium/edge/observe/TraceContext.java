package io.atrium.edge.observe;

import io.atrium.policy.observability.TraceParent;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context ({@code traceparent}): the edge continues a well-formed incoming trace with a span of its own, or
 * starts a trace when the header is absent or malformed.
 */
public final class TraceContext {

    public static final String TRACEPARENT = "traceparent";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceContext() {
    }

    /** The {@code traceparent} to send upstream: the client's trace id and flags with a new span id, or a new trace. */
    public static String next(String incoming) {
        char[] out = new char[55];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (isValid(incoming)) {
            incoming.getChars(0, 36, out, 0);
            writeHex(out, 36, random.nextLong() | 1L, 16);
            out[52] = '-';
            incoming.getChars(53, 55, out, 53);
            return new String(out);
        }
        out[0] = '0';
        out[1] = '0';
        out[2] = '-';
        writeHex(out, 3, random.nextLong() | 1L, 16);
        writeHex(out, 19, random.nextLong(), 16);
        out[35] = '-';
        writeHex(out, 36, random.nextLong() | 1L, 16);
        out[52] = '-';
        out[53] = '0';
        out[54] = '0';
        return new String(out);
    }

    /** The trace id (32 hex digits) of a {@code traceparent} this class produced or accepted. */
    public static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }

    /** Version 00 form ({@link TraceParent#isValid}). */
    static boolean isValid(String value) {
        return TraceParent.isValid(value);
    }

    private static void writeHex(char[] out, int at, long value, int digits) {
        for (int i = 0; i < digits; i++) {
            out[at + i] = HEX[(int) ((value >>> (60 - 4 * i)) & 0xf)];
        }
    }
}
