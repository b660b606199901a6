package io.atrium.router.json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.SerializableString;

/**
 * An already serialized JSON value (UTF-8), written as is wherever it appears in a value given to {@link Json}:
 * the executor streams the client's {@code data} straight to bytes instead of building a tree first.
 */
public final class RawJson implements SerializableString {
    private final byte[] utf8;
    private final int length;

    public RawJson(byte[] utf8) {
        this(utf8, utf8.length);
    }

    /** The first {@code length} bytes of {@code utf8}, which the caller hands over (no copy is made). */
    public RawJson(byte[] utf8, int length) {
        if (length < 0 || length > utf8.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + utf8.length);
        }
        this.utf8 = utf8;
        this.length = length;
    }

    /** Its size in UTF-8 bytes. */
    public int byteLength() {
        return length;
    }

    /** Copies its bytes to {@code target} at {@code offset}. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(utf8, 0, target, offset, length);
    }

    @Override
    public String getValue() {
        return new String(utf8, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return getValue();
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return java.util.Arrays.copyOf(utf8, length);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + length > buffer.length) {
            return -1;
        }
        System.arraycopy(utf8, 0, buffer, offset, length);
        return length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8, 0, length);
        return length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (buffer.remaining() < length) {
            return -1;
        }
        buffer.put(utf8, 0, length);
        return length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        char[] chars = getValue().toCharArray();
        if (offset + chars.length > buffer.length) {
            return -1;
        }
        System.arraycopy(chars, 0, buffer, offset, chars.length);
        return chars.length;
    }

    // A raw value is never written as a quoted string.

    @Override
    public char[] asQuotedChars() {
        throw new UnsupportedOperationException("raw JSON is not a string");
    }

    @Override
    public byte[] asQuotedUTF8() {
        throw new UnsupportedOperationException("raw JSON is not a string");
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        throw new UnsupportedOperationException("raw JSON is not a string");
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        throw new UnsupportedOperationException("raw JSON is not a string");
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
        throw new UnsupportedOperationException("raw JSON is not a string");
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        throw new UnsupportedOperationException("raw JSON is not a string");
    }
}
