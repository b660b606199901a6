package io.atrium.edge.proxy.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: keep a well-formed client value, otherwise generate a random UUID-shaped id. */
final class RequestIds {

    static final int MAX_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    static String acceptOrGenerate(String clientValue) {
        return isWellFormed(clientValue) ? clientValue : generate();
    }

    /** 1 to 128 characters from {@code A-Z a-z 0-9 - _ . : + / =}: no spaces, quotes or separators that could smuggle. */
    static boolean isWellFormed(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '/' || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * A version-4 UUID string from {@link ThreadLocalRandom}: unique enough for correlation, and unlike
     * {@link java.util.UUID#randomUUID()} it does not touch the shared SecureRandom on the event loop.
     */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long hi = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        char[] out = new char[36];
        int pos = 0;
        for (int i = 0; i < 32; i++) {
            if (i == 8 || i == 12 || i == 16 || i == 20) {
                out[pos++] = '-';
            }
            long word = i < 16 ? hi : lo;
            int shift = 60 - 4 * (i % 16);
            out[pos++] = HEX[(int) ((word >>> shift) & 0xf)];
        }
        return new String(out);
    }
}
