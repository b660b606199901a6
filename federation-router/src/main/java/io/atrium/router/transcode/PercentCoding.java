package io.atrium.router.transcode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of path segments and query values as {@code google.api.http} specifies: a single-segment
 * variable decodes everything; a multi-segment variable keeps {@code %2F} (and {@code %2f}) encoded, so a captured
 * {@code a%2Fb/c} stays distinguishable from {@code a/b/c}.
 */
final class PercentCoding {

    private PercentCoding() {
    }

    /** @throws IllegalArgumentException on a malformed escape or bytes that are not UTF-8 */
    static String decode(String raw, boolean keepSlashes) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                continue;
            }
            if (i + 2 >= raw.length()) {
                throw new IllegalArgumentException("malformed percent-escape in '" + raw + "'");
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("malformed percent-escape in '" + raw + "'");
            }
            int value = hi * 16 + lo;
            if (keepSlashes && value == '/') {
                out.write('%');
                out.write('2');
                out.write('F');
            } else {
                out.write(value);
            }
            i += 2;
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    /** Query values: {@code +} is a space (HTML form encoding), then percent-decoding. */
    static String decodeQuery(String raw) {
        return decode(raw.replace('+', ' '), false);
    }
}
