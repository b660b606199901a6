package io.atrium.router.connector.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.Timestamps;
import io.atrium.router.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages to GraphQL values without proto3 JSON text in between, for the shapes that are common and plain: what
 * {@link GrpcResolvers} otherwise gets by printing a message with {@code JsonFormat}, reading the text with Gson and
 * converting the result, value for value the same (arguments the other way: {@link ProtoArguments}). A type with maps
 * or well-known types other than {@code Timestamp} is not handled here ({@code null} back): the callers then take the
 * JSON route, which handles everything.
 */
final class ProtoValues {

    private static final String TIMESTAMP = "google.protobuf.Timestamp";

    /** Message type → whether {@link #toGraphQL} handles it (its fields, recursively). */
    private final Map<Descriptor, Boolean> plain = new ConcurrentHashMap<>();
    /** Message type → its declared fields and which of them have no presence (in the answer even when unset). */
    private final Map<Descriptor, Fields> declared = new ConcurrentHashMap<>();

    /**
     * @param kinds    each field's type (asking a descriptor resolves its features every time)
     * @param byNumber fields by number when the numbers are small (else null: the descriptor's lookup)
     */
    private record Fields(FieldDescriptor[] all, boolean[] always, FieldDescriptor.Type[] kinds, FieldDescriptor[] byNumber) {
        static Fields of(Descriptor type) {
            FieldDescriptor[] all = type.getFields().toArray(FieldDescriptor[]::new);
            boolean[] always = new boolean[all.length];
            FieldDescriptor.Type[] kinds = new FieldDescriptor.Type[all.length];
            int max = 0;
            for (int i = 0; i < all.length; i++) {
                always[i] = !all[i].hasPresence();
                kinds[i] = all[i].getType();
                max = Math.max(max, all[i].getNumber());
            }
            FieldDescriptor[] byNumber = max <= 1024 ? new FieldDescriptor[max + 1] : null;
            if (byNumber != null) {
                for (FieldDescriptor field : all) {
                    byNumber[field.getNumber()] = field;
                }
            }
            return new Fields(all, always, kinds, byNumber);
        }

        FieldDescriptor field(Descriptor type, int number) {
            return byNumber == null ? type.findFieldByNumber(number)
                    : number < byNumber.length ? byNumber[number] : null;
        }
    }

    /**
     * The message as the generated GraphQL shape: fields in declaration order, the ones without presence always, the
     * others when set; int32 family as Integer, uint32/fixed32 and 64-bit integers as strings, float and double as
     * Double ("NaN"/"Infinity" as strings), bytes as Base64, enums by name, Timestamps as RFC 3339.
     *
     * @return null when the type is not one this handles
     */
    Map<String, Object> toGraphQL(DynamicMessage message) {
        if (!plain.computeIfAbsent(message.getDescriptorForType(), type -> plain(type, new HashSet<>()))) {
            return null;
        }
        try {
            return object(message);
        } catch (IllegalArgumentException e) { // an out-of-range Timestamp: JsonFormat refuses it with its message
            return null;
        }
    }

    /**
     * {@link #toGraphQL} straight from the message's wire bytes, without building a {@code DynamicMessage} first (which
     * parses by reflection): the same values, protobuf's parsing rules kept — the last value of a singular field wins,
     * repeated values accumulate (packed or not), a message field seen twice is merged, a oneof member clears the
     * others, unknown fields are skipped, proto3 strings must be UTF-8.
     *
     * @return null when the type is not one this handles, or the bytes hold something only the full parser decides
     *         (a field with an unexpected wire type, a closed enum, an invalid Timestamp, bytes that are not a message
     *         or a string that is not UTF-8): the caller then parses them, and fails or answers as protobuf does
     */
    Map<String, Object> fromWire(Descriptor type, byte[] bytes) {
        if (!plain.computeIfAbsent(type, t -> plain(t, new HashSet<>()))) {
            return null;
        }
        try {
            return wireObject(type, CodedInputStream.newInstance(bytes), bytes);
        } catch (NotPlain | IllegalArgumentException | IOException e) {
            return null;
        }
    }

    /** Bytes this decoder leaves to the full parser. */
    private static final class NotPlain extends RuntimeException {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    /**
     * @param in     reading {@code buffer} from its start: nested messages are read in place, and a message field seen
     *               twice is merged by re-reading its encodings one after the other, found by position in the buffer
     */
    private Map<String, Object> wireObject(Descriptor type, CodedInputStream in, byte[] buffer) throws IOException {
        Fields fields = declared.computeIfAbsent(type, Fields::of);
        Object[] set = new Object[fields.all().length];
        byte[][] encodings = null; // a singular message field's encodings so far, made when it is seen again
        long[] ranges = null;      // where a singular message field's (first) encoding is in the buffer: start << 32 | length
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            FieldDescriptor field = fields.field(type, WireFormat.getTagFieldNumber(tag));
            if (field == null) {
                if (!in.skipField(tag)) {
                    break; // an end-group tag: not in a message of ours
                }
                continue;
            }
            int index = field.getIndex();
            int wireType = WireFormat.getTagWireType(tag);
            FieldDescriptor.Type kind = fields.kinds()[index];
            if (kind == FieldDescriptor.Type.MESSAGE) {
                if (wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    throw new NotPlain();
                }
                int length = in.readRawVarint32();
                int start = in.getTotalBytesRead();
                if (field.isRepeated()) {
                    items(set, index).add(nested(field, in, length, buffer));
                } else if (set[index] == null) {
                    set[index] = nested(field, in, length, buffer);
                    ranges = ranges == null ? new long[set.length] : ranges;
                    ranges[index] = (long) start << 32 | length;
                    if (encodings != null) {
                        encodings[index] = null;
                    }
                    clearOneof(set, field);
                } else { // seen again: merged, which is what parsing the two encodings one after the other does
                    if (length < 0 || start + length > buffer.length) {
                        throw new NotPlain(); // a length past the end: the parser's error to report
                    }
                    encodings = encodings == null ? new byte[set.length][] : encodings;
                    int from = (int) (ranges[index] >>> 32);
                    byte[] before = encodings[index] != null ? encodings[index]
                            : java.util.Arrays.copyOfRange(buffer, from, from + (int) ranges[index]);
                    byte[] merged = java.util.Arrays.copyOf(before, before.length + length);
                    System.arraycopy(buffer, start, merged, before.length, length);
                    in.skipRawBytes(length);
                    set[index] = wireMessage(field, CodedInputStream.newInstance(merged), merged);
                    encodings[index] = merged;
                    clearOneof(set, field);
                }
            } else if (field.isRepeated()) {
                List<Object> items = items(set, index);
                if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED && kind != FieldDescriptor.Type.STRING
                        && kind != FieldDescriptor.Type.BYTES) { // packed
                    int limit = in.pushLimit(in.readRawVarint32());
                    while (in.getBytesUntilLimit() > 0) {
                        items.add(scalar(field, kind, in));
                    }
                    in.popLimit(limit);
                } else {
                    checkWireType(kind, wireType);
                    items.add(scalar(field, kind, in));
                }
            } else {
                checkWireType(kind, wireType);
                set[index] = scalar(field, kind, in);
                clearOneof(set, field);
            }
        }
        Map<String, Object> out = Json.object(set.length);
        for (int i = 0; i < set.length; i++) {
            FieldDescriptor field = fields.all()[i];
            Object value = set[i];
            if (value == null) {
                if (fields.always()[i]) {
                    out.put(field.getJsonName(), field.isRepeated() ? List.of() : single(field, field.getDefaultValue()));
                }
                continue;
            }
            out.put(field.getJsonName(), value);
        }
        return out;
    }

    /** A nested message of {@code length} bytes, read in place. */
    private Object nested(FieldDescriptor field, CodedInputStream in, int length, byte[] buffer) throws IOException {
        int limit = in.pushLimit(length);
        Object value = wireMessage(field, in, buffer);
        if (in.getBytesUntilLimit() != 0) {
            throw new NotPlain(); // an end-group tag stopped it: only the parser knows what that means
        }
        in.popLimit(limit);
        return value;
    }

    /** A message field's value, read from {@code in} up to its current limit. */
    private Object wireMessage(FieldDescriptor field, CodedInputStream in, byte[] buffer) throws IOException {
        Descriptor type = field.getMessageType();
        if (!type.getFullName().equals(TIMESTAMP)) {
            return wireObject(type, in, buffer);
        }
        long seconds = 0;
        int nanos = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == (1 << 3 | WireFormat.WIRETYPE_VARINT)) {
                seconds = in.readInt64();
            } else if (tag == (2 << 3 | WireFormat.WIRETYPE_VARINT)) {
                nanos = in.readInt32();
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return timestamp(seconds, nanos);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> items(Object[] set, int index) {
        if (set[index] == null) {
            set[index] = new ArrayList<>();
        }
        return (List<Object>) set[index];
    }

    private static void clearOneof(Object[] set, FieldDescriptor field) {
        com.google.protobuf.Descriptors.OneofDescriptor oneof = field.getContainingOneof();
        if (oneof != null && oneof.getFieldCount() > 1) {
            for (FieldDescriptor member : oneof.getFields()) {
                if (member != field) {
                    set[member.getIndex()] = null;
                }
            }
        }
    }

    private static void checkWireType(FieldDescriptor.Type kind, int wireType) {
        int expected = switch (kind) {
            case FIXED64, SFIXED64, DOUBLE -> WireFormat.WIRETYPE_FIXED64;
            case FIXED32, SFIXED32, FLOAT -> WireFormat.WIRETYPE_FIXED32;
            case STRING, BYTES, MESSAGE -> WireFormat.WIRETYPE_LENGTH_DELIMITED;
            case GROUP -> WireFormat.WIRETYPE_START_GROUP;
            default -> WireFormat.WIRETYPE_VARINT;
        };
        if (expected != wireType) {
            throw new NotPlain(); // the full parser keeps it as an unknown field
        }
    }

    /** One scalar as {@link #single} gives it. */
    private static Object scalar(FieldDescriptor field, FieldDescriptor.Type kind, CodedInputStream in) throws IOException {
        return switch (kind) {
            case INT32 -> in.readInt32();
            case SINT32 -> in.readSInt32();
            case SFIXED32 -> in.readSFixed32();
            case UINT32 -> Integer.toUnsignedString(in.readUInt32());
            case FIXED32 -> Integer.toUnsignedString(in.readFixed32());
            case INT64 -> Long.toString(in.readInt64());
            case SINT64 -> Long.toString(in.readSInt64());
            case SFIXED64 -> Long.toString(in.readSFixed64());
            case UINT64 -> Long.toUnsignedString(in.readUInt64());
            case FIXED64 -> Long.toUnsignedString(in.readFixed64());
            case FLOAT -> {
                float value = in.readFloat();
                yield floating(value, Float.toString(value));
            }
            case DOUBLE -> floating(in.readDouble(), null);
            case BOOL -> in.readBool();
            case STRING -> in.readStringRequireUtf8();
            case BYTES -> Base64.getEncoder().encodeToString(in.readByteArray());
            case ENUM -> {
                if (field.getEnumType().isClosed()) {
                    throw new NotPlain(); // an unknown number of a closed enum is an unknown field, not a value
                }
                int number = in.readEnum();
                EnumValueDescriptor constant = field.getEnumType().findValueByNumber(number);
                yield constant == null ? (Object) (double) number : constant.getName();
            }
            case MESSAGE, GROUP -> throw new NotPlain();
        };
    }

    private static boolean plain(Descriptor type, Set<Descriptor> visiting) {
        if (!visiting.add(type)) {
            return true;
        }
        for (FieldDescriptor field : type.getFields()) {
            if (field.isMapField()) {
                return false;
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.ENUM
                    && field.getEnumType().getFullName().equals("google.protobuf.NullValue")) {
                return false;
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                String name = field.getMessageType().getFullName();
                if (name.equals(TIMESTAMP)) {
                    continue;
                }
                if (name.startsWith("google.protobuf.") || !plain(field.getMessageType(), visiting)) {
                    return false;
                }
            }
        }
        return true;
    }

    private Map<String, Object> object(Message message) {
        Fields fields = declared.computeIfAbsent(message.getDescriptorForType(), Fields::of);
        // the set fields from one pass over the message's own map, placed by declaration index (a lookup per declared
        // field was a binary search each, twice for fields with presence)
        Object[] set = new Object[fields.all().length];
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            if (!entry.getKey().isExtension()) {
                set[entry.getKey().getIndex()] = entry.getValue();
            }
        }
        Map<String, Object> out = Json.object(set.length);
        for (int i = 0; i < set.length; i++) {
            FieldDescriptor field = fields.all()[i];
            Object value = set[i];
            if (value == null) {
                if (!fields.always()[i]) {
                    continue;
                }
                value = field.isRepeated() ? List.of() : field.getDefaultValue();
            }
            if (field.isRepeated()) {
                List<?> items = (List<?>) value;
                List<Object> list = new ArrayList<>(items.size());
                for (Object item : items) {
                    list.add(single(field, item));
                }
                out.put(field.getJsonName(), list);
            } else {
                out.put(field.getJsonName(), single(field, value));
            }
        }
        return out;
    }

    private Object single(FieldDescriptor field, Object value) {
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> value;
            case UINT32, FIXED32 -> Integer.toUnsignedString((Integer) value);
            case INT64, SINT64, SFIXED64 -> Long.toString((Long) value);
            case UINT64, FIXED64 -> Long.toUnsignedString((Long) value);
            case FLOAT -> floating((Float) value, Float.toString((Float) value));
            case DOUBLE -> floating((Double) value, null);
            case BOOL, STRING -> value;
            case BYTES -> Base64.getEncoder().encodeToString(((ByteString) value).toByteArray());
            case ENUM -> {
                EnumValueDescriptor constant = (EnumValueDescriptor) value;
                yield constant.getIndex() == -1 ? (Object) (double) constant.getNumber() : constant.getName();
            }
            case MESSAGE, GROUP -> field.getMessageType().getFullName().equals(TIMESTAMP)
                    ? timestamp((Message) value) : object((Message) value);
        };
    }

    /** As JSON text read back: a finite number as its printed text's double, NaN and infinities as strings. */
    private static Object floating(double value, String printed) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return printed == null ? value : Double.parseDouble(printed);
    }

    /**
     * RFC 3339 in UTC as {@code Timestamps.toString} (JsonFormat) writes it: 0, 3, 6 or 9 fraction digits, {@code Z};
     * out of its range (years 1–9999, nanos 0–999,999,999) an {@link IllegalArgumentException}.
     */
    static String timestamp(Message message) {
        Descriptor type = message.getDescriptorForType();
        return timestamp((Long) message.getField(type.getFields().get(0)), (Integer) message.getField(type.getFields().get(1)));
    }

    /** {@link #timestamp(Message)} of these seconds and nanos. */
    static String timestamp(long seconds, int nanos) {
        if (seconds < Timestamps.MIN_VALUE.getSeconds() || seconds > Timestamps.MAX_VALUE.getSeconds()
                || nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("Timestamp is not valid");
        }
        // the civil date of the day (Hinnant's days_from_civil inverse, proleptic Gregorian), written as Latin-1 bytes:
        // LocalDateTime and a StringBuilder cost the gRPC connector ~1 µs per request on a list of timestamps
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        byte[] out = new byte[20 + (fraction == 0 ? 0 : fraction + 1)];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (fraction != 0) {
            out[19] = '.';
            digits(out, 20, fraction == 3 ? nanos / 1_000_000 : fraction == 6 ? nanos / 1_000 : nanos, fraction);
        }
        out[out.length - 1] = 'Z';
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** {@code value} as {@code count} decimal digits, zero-padded, at {@code at}. */
    private static void digits(byte[] out, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    static FieldDescriptor byJsonName(Descriptor type, String name) {
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJsonName().equals(name)) {
                return field;
            }
        }
        return null;
    }
}
