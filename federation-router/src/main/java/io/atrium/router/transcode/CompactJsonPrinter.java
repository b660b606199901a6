package io.atrium.router.transcode;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Canonical proto3 JSON without whitespace, for fields that are present (the transcoder's default): the same text as
 * {@code JsonFormat.printer().omittingInsignificantWhitespace()} (checked against it by CompactJsonPrinterTest), in a
 * single pass over the message into one {@link StringBuilder}. JsonFormat goes through Gson for every string and
 * re-serializes and re-parses every Timestamp; on GET /v1/payments/{id} that was 8% of the transcoder's CPU.
 * Well-known types with a JSON form of their own other than Timestamp and the wrappers (Any, Duration, FieldMask,
 * Struct, Value, ListValue) are printed by JsonFormat itself, as are timestamps out of its range (its errors).
 */
final class CompactJsonPrinter {
    private static final Set<String> DELEGATED = Set.of("google.protobuf.Any", "google.protobuf.Duration",
            "google.protobuf.FieldMask", "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue");
    private static final Set<String> WRAPPERS = Set.of("google.protobuf.DoubleValue", "google.protobuf.FloatValue",
            "google.protobuf.Int64Value", "google.protobuf.UInt64Value", "google.protobuf.Int32Value",
            "google.protobuf.UInt32Value", "google.protobuf.BoolValue", "google.protobuf.StringValue",
            "google.protobuf.BytesValue");
    private static final String TIMESTAMP = "google.protobuf.Timestamp";
    /** Timestamps.MIN_VALUE / MAX_VALUE seconds: 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final JsonFormat.Printer delegate;

    /** @param delegate a compact JsonFormat printer with the backend's type registry, for the delegated types */
    CompactJsonPrinter(JsonFormat.Printer delegate) {
        this.delegate = delegate;
    }

    String print(Message message) throws InvalidProtocolBufferException {
        StringBuilder out = new StringBuilder(256);
        message(message, out);
        return out.toString();
    }

    private void message(Message message, StringBuilder out) throws InvalidProtocolBufferException {
        Descriptor type = message.getDescriptorForType();
        String name = type.getFullName();
        if (name.startsWith("google.protobuf.")) {
            if (DELEGATED.contains(name)) {
                out.append(delegate.print(message));
                return;
            }
            if (name.equals(TIMESTAMP)) {
                timestamp(message, out);
                return;
            }
            if (WRAPPERS.contains(name)) {
                FieldDescriptor value = type.findFieldByName("value");
                single(value, message.getField(value), false, out);
                return;
            }
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            FieldDescriptor field = entry.getKey();
            out.append('"').append(field.getJsonName()).append("\":");
            if (field.isMapField()) {
                map(field, (List<?>) entry.getValue(), out);
            } else if (field.isRepeated()) {
                out.append('[');
                boolean firstItem = true;
                for (Object item : (List<?>) entry.getValue()) {
                    if (!firstItem) {
                        out.append(',');
                    }
                    firstItem = false;
                    single(field, item, false, out);
                }
                out.append(']');
            } else {
                single(field, entry.getValue(), false, out);
            }
        }
        out.append('}');
    }

    private void map(FieldDescriptor field, List<?> entries, StringBuilder out) throws InvalidProtocolBufferException {
        FieldDescriptor key = field.getMessageType().findFieldByName("key");
        FieldDescriptor value = field.getMessageType().findFieldByName("value");
        out.append('{');
        boolean first = true;
        for (Object item : entries) {
            Message entry = (Message) item;
            if (!first) {
                out.append(',');
            }
            first = false;
            single(key, entry.getField(key), true, out);
            out.append(':');
            single(value, entry.getField(value), false, out);
        }
        out.append('}');
    }

    /** @param quoted map keys: numbers and booleans in quotes too */
    private void single(FieldDescriptor field, Object value, boolean quoted, StringBuilder out)
            throws InvalidProtocolBufferException {
        switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> quote(quoted, out).append((int) (Integer) value);
            case UINT32, FIXED32 -> quote(quoted, out).append(Integer.toUnsignedString((Integer) value));
            case INT64, SINT64, SFIXED64 -> {
                out.append('"').append((long) (Long) value).append('"');
                return;
            }
            case UINT64, FIXED64 -> {
                out.append('"').append(Long.toUnsignedString((Long) value)).append('"');
                return;
            }
            case BOOL -> quote(quoted, out).append((boolean) (Boolean) value);
            case FLOAT -> {
                float number = (Float) value;
                if (Float.isNaN(number) || Float.isInfinite(number)) {
                    out.append(Float.isNaN(number) ? "\"NaN\"" : number < 0 ? "\"-Infinity\"" : "\"Infinity\"");
                    return;
                }
                quote(quoted, out).append(Float.toString(number));
            }
            case DOUBLE -> {
                double number = (Double) value;
                if (Double.isNaN(number) || Double.isInfinite(number)) {
                    out.append(Double.isNaN(number) ? "\"NaN\"" : number < 0 ? "\"-Infinity\"" : "\"Infinity\"");
                    return;
                }
                quote(quoted, out).append(Double.toString(number));
            }
            case STRING -> {
                string((String) value, out);
                return;
            }
            case BYTES -> {
                out.append('"').append(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray())).append('"');
                return;
            }
            case ENUM -> {
                EnumValueDescriptor constant = (EnumValueDescriptor) value;
                if (field.getEnumType().getFullName().equals("google.protobuf.NullValue")) {
                    quote(quoted, out).append("null");
                } else if (constant.getIndex() == -1) { // a number this schema does not know
                    out.append(constant.getNumber());
                    return;
                } else {
                    out.append('"').append(constant.getName()).append('"');
                    return;
                }
            }
            case MESSAGE, GROUP -> {
                message((Message) value, out);
                return;
            }
        }
        quote(quoted, out);
    }

    private static StringBuilder quote(boolean quoted, StringBuilder out) {
        return quoted ? out.append('"') : out;
    }

    /** RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as Timestamps.toString. */
    private void timestamp(Message message, StringBuilder out) throws InvalidProtocolBufferException {
        Descriptor type = message.getDescriptorForType();
        long seconds = (Long) message.getField(type.findFieldByName("seconds"));
        int nanos = (Integer) message.getField(type.findFieldByName("nanos"));
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || nanos < 0 || nanos > 999_999_999) {
            out.append(delegate.print(message)); // JsonFormat's answer to an invalid timestamp, whatever it is
            return;
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        out.append('"');
        digits(time.getYear(), 4, out).append('-');
        digits(time.getMonthValue(), 2, out).append('-');
        digits(time.getDayOfMonth(), 2, out).append('T');
        digits(time.getHour(), 2, out).append(':');
        digits(time.getMinute(), 2, out).append(':');
        digits(time.getSecond(), 2, out);
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(nanos / 1_000_000, 3, out);
            } else if (nanos % 1_000 == 0) {
                digits(nanos / 1_000, 6, out);
            } else {
                digits(nanos, 9, out);
            }
        }
        out.append("Z\"");
    }

    private static StringBuilder digits(int value, int width, StringBuilder out) {
        int start = out.length();
        out.append(value);
        for (int pad = width - (out.length() - start); pad > 0; pad--) {
            out.insert(start, '0');
        }
        return out;
    }

    /** A JSON string as Gson writes it by default (HTML-safe): JsonFormat prints strings through Gson. */
    private static void string(String value, StringBuilder out) {
        out.append('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case '<', '>', '&', '=', '\'', '\u2028', '\u2029' -> unicode(c, out);
                default -> {
                    if (c < 0x20) {
                        unicode(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicode(char c, StringBuilder out) {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}
