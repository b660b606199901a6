package io.atrium.router.connector.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * GraphQL arguments to a request message's wire bytes for the common, plain case, without proto3 JSON text or a
 * message built in between ({@link GrpcResolvers} otherwise takes the JSON route, which handles everything).
 */
final class ProtoArguments {
    private ProtoArguments() {
    }

    /**
     * The request message for GraphQL arguments that are all plain — strings, booleans and ints (or lists of them) for
     * string, bool and int32 fields named by their JSON names — as its wire bytes, written directly: the bytes the JSON
     * route's message serializes to (fields in number order, implicit-presence defaults left out, repeated numbers
     * packed where the field is), without building a message.
     *
     * @return null when some argument is not plain, for the JSON route
     */
    static byte[] encodeArguments(Descriptor type, Map<String, Object> arguments) {
        FieldDescriptor[] fields = new FieldDescriptor[arguments.size()];
        Object[] values = new Object[arguments.size()];
        int count = 0;
        for (Map.Entry<String, Object> entry : arguments.entrySet()) {
            FieldDescriptor field = ProtoValues.byJsonName(type, entry.getKey());
            if (field == null || field.isMapField() || field.getContainingOneof() != null) {
                return null;
            }
            Object value = entry.getValue();
            if (value == null) {
                continue; // null is the default
            }
            if (!plain(field, value)) {
                return null;
            }
            int at = count++;
            while (at > 0 && fields[at - 1].getNumber() > field.getNumber()) { // insertion: a few arguments at most
                fields[at] = fields[at - 1];
                values[at] = values[at - 1];
                at--;
            }
            fields[at] = field;
            values[at] = value;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes, 64);
            for (int i = 0; i < count; i++) {
                FieldDescriptor field = fields[i];
                if (!field.isRepeated()) {
                    if (!isDefault(field, values[i]) || field.hasPresence()) {
                        writeArgument(out, field, values[i]);
                    }
                    continue;
                }
                List<?> items = (List<?>) values[i];
                if (items.isEmpty()) {
                    continue;
                }
                if (field.isPacked()) {
                    int size = 0;
                    for (Object item : items) {
                        size += argumentSize(field, item);
                    }
                    out.writeTag(field.getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(size);
                    for (Object item : items) {
                        switch (field.getType()) {
                            case BOOL -> out.writeBoolNoTag((Boolean) item);
                            case SINT32 -> out.writeSInt32NoTag((Integer) item);
                            case SFIXED32 -> out.writeSFixed32NoTag((Integer) item);
                            default -> out.writeInt32NoTag((Integer) item);
                        }
                    }
                } else {
                    for (Object item : items) {
                        writeArgument(out, field, item);
                    }
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isDefault(FieldDescriptor field, Object value) {
        return value instanceof String text ? text.isEmpty() : value instanceof Boolean b ? !b : ((Integer) value) == 0;
    }

    private static void writeArgument(CodedOutputStream out, FieldDescriptor field, Object value)
            throws IOException {
        switch (field.getType()) {
            case STRING -> out.writeString(field.getNumber(), (String) value);
            case BOOL -> out.writeBool(field.getNumber(), (Boolean) value);
            case SINT32 -> out.writeSInt32(field.getNumber(), (Integer) value);
            case SFIXED32 -> out.writeSFixed32(field.getNumber(), (Integer) value);
            default -> out.writeInt32(field.getNumber(), (Integer) value);
        }
    }

    private static int argumentSize(FieldDescriptor field, Object value) {
        return switch (field.getType()) {
            case BOOL -> 1;
            case SINT32 -> CodedOutputStream.computeSInt32SizeNoTag((Integer) value);
            case SFIXED32 -> 4;
            default -> CodedOutputStream.computeInt32SizeNoTag((Integer) value);
        };
    }

    /** A value the field takes as it is: one plain value, or for a repeated field a list of them. */
    private static boolean plain(FieldDescriptor field, Object value) {
        if (!field.isRepeated()) {
            return plainArgument(field, value);
        }
        if (!(value instanceof List<?> list)) {
            return false;
        }
        for (Object item : list) {
            if (!plainArgument(field, item)) {
                return false;
            }
        }
        return true;
    }

    private static boolean plainArgument(FieldDescriptor field, Object value) {
        return switch (field.getType()) {
            case STRING -> value instanceof String;
            case BOOL -> value instanceof Boolean;
            case INT32, SINT32, SFIXED32 -> value instanceof Integer;
            default -> false;
        };
    }
}
