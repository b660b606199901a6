package io.atrium.edge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A deterministic pseudo-random byte stream of any length, so large bodies need not exist in memory anywhere. */
public final class Payload {

    private Payload() {
    }

    public static InputStream stream(long size) {
        return new InputStream() {
            private long remaining = size;
            private long state = 0x9E3779B97F4A7C15L;

            @Override
            public int read() {
                if (remaining == 0) {
                    return -1;
                }
                remaining--;
                return next() & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (remaining == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, remaining);
                int i = 0;
                for (; i + 8 <= n; i += 8) {
                    long word = nextLong();
                    for (int j = 0; j < 8; j++) {
                        b[off + i + j] = (byte) (word >>> (8 * j));
                    }
                }
                for (; i < n; i++) {
                    b[off + i] = (byte) next();
                }
                remaining -= n;
                return n;
            }

            private int next() {
                return (int) nextLong();
            }

            private long nextLong() {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                return state;
            }
        };
    }

    public static void write(OutputStream out, long size) throws IOException {
        try (InputStream in = stream(size)) {
            in.transferTo(out);
        }
    }

    public static String sha256Hex(long size) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = stream(size)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
