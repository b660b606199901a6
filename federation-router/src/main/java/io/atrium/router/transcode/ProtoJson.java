package io.atrium.router.transcode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Canonical proto3 JSON both ways (protobuf-java-util's {@link JsonFormat}: JSON and proto field names accepted,
 * 64-bit integers as strings, enums by name, well-known types as their JSON forms), and the field violations of a
 * request that does not fit its message: each names the offending field path as the client wrote it.
 */
final class ProtoJson {
    /** Well-known types that are one JSON scalar: usable as path variables and query parameters. */
    private static final Set<String> SCALAR_LIKE = Set.of("google.protobuf.Timestamp", "google.protobuf.Duration",
            "google.protobuf.FieldMask", "google.protobuf.DoubleValue", "google.protobuf.FloatValue",
            "google.protobuf.Int64Value", "google.protobuf.UInt64Value", "google.protobuf.Int32Value",
            "google.protobuf.UInt32Value", "google.protobuf.BoolValue", "google.protobuf.StringValue",
            "google.protobuf.BytesValue");
    /** Messages with a JSON form of their own: not walked field by field when locating violations. */
    private static final Set<String> SPECIAL_JSON = Set.of("google.protobuf.Any", "google.protobuf.Struct",
            "google.protobuf.Value", "google.protobuf.ListValue", "google.protobuf.Empty");

    private final JsonFormat.Parser parser;
    private final JsonFormat.Printer defaultsPrinter;
    private final CompactJsonPrinter compact;

    ProtoJson(JsonFormat.TypeRegistry types) {
        this.parser = JsonFormat.parser().usingTypeRegistry(types);
        JsonFormat.Printer printer = JsonFormat.printer().usingTypeRegistry(types).omittingInsignificantWhitespace();
        this.defaultsPrinter = printer.alwaysPrintFieldsWithNoPresence();
        this.compact = new CompactJsonPrinter(printer);
    }

    static boolean scalarLike(Descriptor type) {
        return SCALAR_LIKE.contains(type.getFullName());
    }

    /** A field violation: where (field path) and what. */
    record Violation(String field, String description) {
        BadRequest.FieldViolation toProto() {
            return BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description).build();
        }
    }

    /** A request that does not fit its message. */
    static final class InvalidRequest extends Exception {
        final transient List<Violation> violations;

        InvalidRequest(String message, List<Violation> violations) {
            super(message, null, false, false);
            this.violations = List.copyOf(violations);
        }
    }

    /** Merges a JSON object (text) into the builder; on failure, locates every violation in it. */
    void mergeBody(String json, DynamicMessage.Builder builder) throws InvalidRequest {
        try {
            parser.merge(json, builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new InvalidRequest("the request body does not fit " + builder.getDescriptorForType().getFullName(),
                    diagnose(json, builder.getDescriptorForType(), e));
        }
    }

    /**
     * Sets one field path (from the path or the query) to string values: one for a singular field, any number for a
     * repeated one. Values are JSON strings, which proto3 JSON parsers accept for every scalar kind.
     */
    void bind(DynamicMessage.Builder builder, List<FieldDescriptor> path, List<String> values, String name)
            throws InvalidRequest {
        FieldDescriptor leaf = path.getLast();
        if (!leaf.isRepeated() && values.size() > 1) {
            throw new InvalidRequest("'" + name + "' is given more than once",
                    List.of(new Violation(name, "is not a repeated field but was given " + values.size() + " times")));
        }
        Object direct = direct(leaf, values);
        if (direct != null) {
            setPath(builder, path, 0, direct);
            return;
        }
        JsonElement value;
        if (leaf.isRepeated()) {
            JsonArray array = new JsonArray();
            values.forEach(array::add);
            value = array;
        } else {
            value = new JsonPrimitive(values.getFirst());
        }
        JsonObject holder = new JsonObject();
        holder.add(leaf.getJsonName(), value);
        DynamicMessage.Builder parsed = DynamicMessage.newBuilder(leaf.getContainingType());
        try {
            parser.merge(holder.toString(), parsed);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new InvalidRequest("'" + name + "' is not a valid " + typeName(leaf),
                    List.of(new Violation(name, "is not a valid " + typeName(leaf) + ": " + clean(e))));
        }
        setPath(builder, path, 0, parsed.getField(leaf));
    }

    /**
     * The field value of path or query strings without a JSON round trip, where it is certainly what {@link
     * JsonFormat} would make of them (strings, decimal 32/64-bit signed integers, {@code true}/{@code false}, enum
     * names); null for anything else, which then goes through JsonFormat (and its errors).
     */
    private static Object direct(FieldDescriptor leaf, List<String> values) {
        if (!leaf.isRepeated()) {
            return direct(leaf, values.getFirst());
        }
        List<Object> list = new ArrayList<>(values.size());
        for (String value : values) {
            Object item = direct(leaf, value);
            if (item == null) {
                return null;
            }
            list.add(item);
        }
        return list;
    }

    private static Object direct(FieldDescriptor leaf, String value) {
        try {
            return switch (leaf.getType()) {
                case STRING -> value;
                case INT32, SINT32, SFIXED32 -> Integer.parseInt(value);
                case INT64, SINT64, SFIXED64 -> Long.parseLong(value);
                case BOOL -> value.equals("true") ? Boolean.TRUE : value.equals("false") ? Boolean.FALSE : null;
                case ENUM -> leaf.getEnumType().findValueByName(value);
                default -> null;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Sets the leaf under nested messages (created or merged into), as JsonFormat will not merge set messages. */
    private static void setPath(Message.Builder builder, List<FieldDescriptor> path, int index, Object value) {
        FieldDescriptor field = path.get(index);
        if (index == path.size() - 1) {
            if (field.isRepeated()) {
                for (Object item : (List<?>) value) {
                    builder.addRepeatedField(field, item);
                }
            } else {
                builder.setField(field, value);
            }
            return;
        }
        Message.Builder child = ((Message) builder.getField(field)).toBuilder();
        setPath(child, path, index + 1, value);
        builder.setField(field, child.build());
    }

    String print(Message message, boolean emitDefaults) throws InvalidProtocolBufferException {
        return emitDefaults ? defaultsPrinter.print(message) : compact.print(message);
    }

    /** One top-level field of a message as JSON ({@code response_body}), its default when unset. */
    String printField(DynamicMessage message, FieldDescriptor field, boolean emitDefaults)
            throws InvalidProtocolBufferException {
        if (!field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return print((Message) message.getField(field), emitDefaults);
        }
        DynamicMessage only = DynamicMessage.newBuilder(message.getDescriptorForType())
                .setField(field, message.getField(field)).build();
        JsonObject object = JsonParser.parseString(defaultsPrinter.print(only)).getAsJsonObject();
        return object.get(field.getJsonName()).toString();
    }

    private List<Violation> diagnose(String json, Descriptor type, Exception failure) {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
        } catch (JsonSyntaxException | com.google.gson.JsonIOException e) {
            return List.of(new Violation("", "malformed JSON: " + clean(e)));
        }
        List<Violation> violations = new ArrayList<>();
        locate(root, type, "", violations);
        if (violations.isEmpty()) {
            violations.add(new Violation("", clean(failure)));
        }
        return violations;
    }

    private void locate(JsonElement element, Descriptor type, String prefix, List<Violation> out) {
        if (!element.isJsonObject()) {
            out.add(new Violation(prefix, "expected a JSON object (" + type.getFullName() + ")"));
            return;
        }
        for (var entry : element.getAsJsonObject().entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            FieldDescriptor field = type.findFieldByName(entry.getKey());
            if (field == null) {
                field = byJsonName(type, entry.getKey());
            }
            if (field == null) {
                out.add(new Violation(path, "unknown field of " + type.getFullName()));
                continue;
            }
            JsonElement value = entry.getValue();
            if (value.isJsonNull()) {
                continue;
            }
            if (walkable(field)) {
                if (!field.isRepeated()) {
                    locate(value, field.getMessageType(), path, out);
                    continue;
                }
                if (value.isJsonArray()) {
                    JsonArray array = value.getAsJsonArray();
                    for (int i = 0; i < array.size(); i++) {
                        locate(array.get(i), field.getMessageType(), path + "[" + i + "]", out);
                    }
                    continue;
                }
            }
            JsonObject single = new JsonObject();
            single.add(entry.getKey(), value);
            try {
                parser.merge(single.toString(), DynamicMessage.newBuilder(type));
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                out.add(new Violation(path, "expected " + typeName(field) + ": " + clean(e)));
            }
        }
    }

    private static boolean walkable(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()
                && !SCALAR_LIKE.contains(field.getMessageType().getFullName())
                && !SPECIAL_JSON.contains(field.getMessageType().getFullName());
    }

    private static FieldDescriptor byJsonName(Descriptor type, String name) {
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJsonName().equals(name)) {
                return field;
            }
        }
        return null;
    }

    static String typeName(FieldDescriptor field) {
        String base = switch (field.getJavaType()) {
            case MESSAGE -> field.getMessageType().getFullName();
            case ENUM -> "enum " + field.getEnumType().getFullName();
            default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
        return field.isMapField() ? "map" : field.isRepeated() ? "list of " + base : base;
    }

    private static String clean(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
