package io.atrium.router.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The transcoder's compact printer against protobuf-java-util's JsonFormat, the reference it replaces on the response
 * path: random messages of every field kind (all scalar types, enums known and unknown, bytes, strings with JSON and
 * HTML-sensitive characters, repeated fields, maps with every key kind, oneofs, nested and recursive messages, and
 * the well-known types, valid or not) must print to the same text, or fail the same way.
 */
class CompactJsonPrinterTest {
    private static final String[] STRINGS = {"", "plain", "quote \" backslash \\ slash /", "<script>&'=</script>",
            "tab\tnew\nline\rcr\bbs\fff", "\u0000\u0001\u001f\u007f", "line\u2028para\u2029", "é ü 中文 🚀",
            "\uD800 lone surrogate", "x".repeat(300)};
    private static final long[] LONGS = {0, 1, -1, 42, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
            Long.MIN_VALUE, 1L << 53, -(1L << 53) - 1};
    private static final double[] DOUBLES = {0.0, -0.0, 1.0, -1.5, 1e-7, 1e21, 123456789.125, Double.MIN_VALUE,
            Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1};

    private final SplittableRandom random = new SplittableRandom(20261202L);

    /** A proto3 message with a field of every kind, recursive through {@code child} and {@code children}. */
    private static FileDescriptor everything() throws Exception {
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName("Everything");
        int number = 1;
        for (Type type : List.of(Type.TYPE_DOUBLE, Type.TYPE_FLOAT, Type.TYPE_INT64, Type.TYPE_UINT64, Type.TYPE_INT32,
                Type.TYPE_FIXED64, Type.TYPE_FIXED32, Type.TYPE_BOOL, Type.TYPE_STRING, Type.TYPE_BYTES,
                Type.TYPE_UINT32, Type.TYPE_SFIXED32, Type.TYPE_SFIXED64, Type.TYPE_SINT32, Type.TYPE_SINT64)) {
            String name = type.name().substring(5).toLowerCase(java.util.Locale.ROOT);
            message.addField(field("f_" + name, number++, type, Label.LABEL_OPTIONAL, null));
            message.addField(field("r_" + name, number++, type, Label.LABEL_REPEATED, null));
        }
        message.addField(field("color", number++, Type.TYPE_ENUM, Label.LABEL_OPTIONAL, ".t.Color"));
        message.addField(field("colors", number++, Type.TYPE_ENUM, Label.LABEL_REPEATED, ".t.Color"));
        message.addField(field("child", number++, Type.TYPE_MESSAGE, Label.LABEL_OPTIONAL, ".t.Everything"));
        message.addField(field("children", number++, Type.TYPE_MESSAGE, Label.LABEL_REPEATED, ".t.Everything"));
        for (String wellKnown : List.of("Timestamp", "Duration", "Struct", "Value", "ListValue", "Any", "FieldMask",
                "Empty", "Int64Value", "UInt64Value", "Int32Value", "UInt32Value", "StringValue", "BytesValue",
                "DoubleValue", "FloatValue", "BoolValue")) {
            message.addField(field("wk_" + wellKnown.toLowerCase(java.util.Locale.ROOT), number++, Type.TYPE_MESSAGE,
                    Label.LABEL_OPTIONAL, ".google.protobuf." + wellKnown));
        }
        message.addField(field("stamps", number++, Type.TYPE_MESSAGE, Label.LABEL_REPEATED, ".google.protobuf.Timestamp"));
        message.addField(field("null_value", number++, Type.TYPE_ENUM, Label.LABEL_OPTIONAL, ".google.protobuf.NullValue"));
        message.addOneofDecl(OneofDescriptorProto.newBuilder().setName("choice"));
        message.addField(field("choice_text", number++, Type.TYPE_STRING, Label.LABEL_OPTIONAL, null).setOneofIndex(0));
        message.addField(field("choice_child", number++, Type.TYPE_MESSAGE, Label.LABEL_OPTIONAL, ".t.Everything")
                .setOneofIndex(0));
        // maps: every key kind, scalar, enum and message values
        String[][] maps = {{"m_string_int64", "TYPE_STRING", "TYPE_INT64", null}, {"m_int32_string", "TYPE_INT32", "TYPE_STRING", null},
                {"m_bool_child", "TYPE_BOOL", "TYPE_MESSAGE", ".t.Everything"}, {"m_uint64_color", "TYPE_UINT64", "TYPE_ENUM", ".t.Color"},
                {"m_sint32_double", "TYPE_SINT32", "TYPE_DOUBLE", null}, {"m_fixed64_bytes", "TYPE_FIXED64", "TYPE_BYTES", null},
                {"m_uint32_stamp", "TYPE_UINT32", "TYPE_MESSAGE", ".google.protobuf.Timestamp"}};
        for (String[] map : maps) {
            String entry = toCamel(map[0]) + "Entry";
            message.addNestedType(DescriptorProto.newBuilder().setName(entry)
                    .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                    .addField(field("key", 1, Type.valueOf(map[1]), Label.LABEL_OPTIONAL, null))
                    .addField(field("value", 2, Type.valueOf(map[2]), Label.LABEL_OPTIONAL, map[3])));
            message.addField(field(map[0], number++, Type.TYPE_MESSAGE, Label.LABEL_REPEATED, ".t.Everything." + entry));
        }
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("t/everything.proto").setPackage("t")
                .setSyntax("proto3")
                .addDependency("google/protobuf/timestamp.proto").addDependency("google/protobuf/duration.proto")
                .addDependency("google/protobuf/struct.proto").addDependency("google/protobuf/any.proto")
                .addDependency("google/protobuf/field_mask.proto").addDependency("google/protobuf/empty.proto")
                .addDependency("google/protobuf/wrappers.proto")
                .addEnumType(EnumDescriptorProto.newBuilder().setName("Color")
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("COLOR_UNSPECIFIED").setNumber(0))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("RED").setNumber(1))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("BLUE").setNumber(2)))
                .addMessageType(message)
                .build();
        return FileDescriptor.buildFrom(file, new FileDescriptor[] {com.google.protobuf.Timestamp.getDescriptor().getFile(),
                com.google.protobuf.Duration.getDescriptor().getFile(), com.google.protobuf.Struct.getDescriptor().getFile(),
                Any.getDescriptor().getFile(), com.google.protobuf.FieldMask.getDescriptor().getFile(),
                com.google.protobuf.Empty.getDescriptor().getFile(), com.google.protobuf.Int64Value.getDescriptor().getFile()});
    }

    private static String toCamel(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type, Label label, String typeName) {
        FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
                .setType(type).setLabel(label);
        return typeName == null ? field : field.setTypeName(typeName);
    }

    @Test
    void printsWhatJsonFormatPrintsForRandomMessagesOfEveryFieldKind() throws Exception {
        Descriptor everything = everything().findMessageTypeByName("Everything");
        JsonFormat.TypeRegistry types = JsonFormat.TypeRegistry.newBuilder().add(everything)
                .add(com.google.rpc.ErrorInfo.getDescriptor()).build();
        ProtoJson json = new ProtoJson(types);
        JsonFormat.Printer reference = JsonFormat.printer().usingTypeRegistry(types).omittingInsignificantWhitespace();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < 3000; i++) {
            Message message = random(everything, 0);
            String expected;
            try {
                expected = reference.print(message);
            } catch (Exception e) {
                expected = "throws " + e.getClass().getName() + ": " + e.getMessage();
            }
            String actual;
            try {
                actual = json.print(message, false);
            } catch (Exception e) {
                actual = "throws " + e.getClass().getName() + ": " + e.getMessage();
            }
            assertThat(actual).as("message %d: %s", i, message).isEqualTo(expected);
            outcomes.merge(expected.startsWith("throws") ? "throws" : "printed", 1, Integer::sum);
        }
        assertThat(outcomes.get("printed")).as("mostly printable messages").isGreaterThan(1500);
        assertThat(outcomes).as("invalid well-known values fail as JsonFormat fails").containsKey("throws");
    }

    @Test
    void theRealServicesMessagesPrintTheSame() throws Exception {
        List<Message> messages = new ArrayList<>();
        messages.add(io.grpc.testing.integration.Messages.SimpleResponse.newBuilder()
                .setPayload(io.grpc.testing.integration.Messages.Payload.newBuilder().setBody(ByteString.copyFromUtf8("abc")))
                .setUsername("<user>").setOauthScope("a&b").build());
        messages.add(com.google.rpc.Status.newBuilder().setCode(9).setMessage("payment 'p' is \"CAPTURED\"")
                .addDetails(Any.pack(com.google.rpc.ErrorInfo.newBuilder().setReason("PAYMENT_STATE")
                        .putMetadata("payment_id", "p").setDomain("atrium").build())).build());
        JsonFormat.TypeRegistry types = JsonFormat.TypeRegistry.newBuilder().add(com.google.rpc.ErrorInfo.getDescriptor()).build();
        ProtoJson json = new ProtoJson(types);
        JsonFormat.Printer reference = JsonFormat.printer().usingTypeRegistry(types).omittingInsignificantWhitespace();
        for (Message message : messages) {
            Message dynamic = DynamicMessage.parseFrom(message.getDescriptorForType(), message.toByteString());
            assertThat(json.print(dynamic, false)).isEqualTo(reference.print(message));
        }
    }

    private Message random(Descriptor type, int depth) {
        switch (type.getFullName()) {
            case "google.protobuf.Timestamp" -> {
                return com.google.protobuf.Timestamp.newBuilder().setSeconds(seconds()).setNanos(nanos()).build();
            }
            case "google.protobuf.Duration" -> {
                long seconds = random.nextLong(-1000, 1000);
                int nanos = random.nextInt(50) == 0 ? 1_500_000_000 : random.nextInt(0, 999_999_999);
                return com.google.protobuf.Duration.newBuilder().setSeconds(seconds)
                        .setNanos(seconds < 0 ? -nanos : nanos).build();
            }
            case "google.protobuf.Value" -> {
                return switch (random.nextInt(5)) {
                    case 0 -> com.google.protobuf.Value.newBuilder().setStringValue(pick(STRINGS)).build();
                    case 1 -> com.google.protobuf.Value.newBuilder().setNumberValue(random.nextDouble() * 1e6).build();
                    case 2 -> com.google.protobuf.Value.newBuilder().setBoolValue(random.nextBoolean()).build();
                    case 3 -> com.google.protobuf.Value.newBuilder().setNullValueValue(0).build();
                    default -> com.google.protobuf.Value.newBuilder().setStructValue(com.google.protobuf.Struct.newBuilder()
                            .putFields(pick(STRINGS), com.google.protobuf.Value.newBuilder().setNumberValue(1).build())).build();
                };
            }
            case "google.protobuf.Any" -> {
                return random.nextInt(30) == 0
                        ? Any.newBuilder().setTypeUrl("type.googleapis.com/t.Unknown").build()
                        : Any.pack(com.google.rpc.ErrorInfo.newBuilder().setReason(pick(STRINGS)).build());
            }
            case "google.protobuf.FieldMask" -> {
                return com.google.protobuf.FieldMask.newBuilder().addPaths("a.b_c").addPaths("d").build();
            }
            default -> {
            }
        }
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            if (random.nextInt(3) != 0) {
                continue;
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= 3
                    && !field.getMessageType().getFullName().startsWith("google.protobuf.")) {
                continue; // bounded depth (maps and children recurse)
            }
            if (field.isRepeated()) {
                int count = random.nextInt(4);
                for (int i = 0; i < count; i++) {
                    builder.addRepeatedField(field, value(field, depth));
                }
            } else {
                builder.setField(field, value(field, depth));
            }
        }
        return builder.build();
    }

    private Object value(FieldDescriptor field, int depth) {
        return switch (field.getJavaType()) {
            case INT -> (int) pick(LONGS);
            case LONG -> pick(LONGS);
            case FLOAT -> (float) pick(DOUBLES);
            case DOUBLE -> pick(DOUBLES);
            case BOOLEAN -> random.nextBoolean();
            case STRING -> pick(STRINGS);
            case BYTE_STRING -> ByteString.copyFrom(random.nextInt(3) == 0 ? new byte[0] : new byte[] {(byte) random.nextInt(256),
                    (byte) 0xfb, (byte) 0xff, 0x3e, (byte) random.nextInt(256)});
            case ENUM -> {
                EnumDescriptor type = field.getEnumType();
                yield random.nextInt(5) == 0 ? type.findValueByNumberCreatingIfUnknown(random.nextInt(3, 99))
                        : type.getValues().get(random.nextInt(type.getValues().size()));
            }
            case MESSAGE -> random(field.getMessageType(), depth + 1);
        };
    }

    private long seconds() {
        return switch (random.nextInt(6)) {
            case 0 -> -62_135_596_800L;
            case 1 -> 253_402_300_799L;
            case 2 -> random.nextInt(40) == 0 ? 253_402_300_800L : 0;
            default -> random.nextLong(-62_135_596_800L, 253_402_300_799L);
        };
    }

    private int nanos() {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1, 1000) * 1_000_000;
            case 2 -> random.nextInt(1, 1_000_000) * 1_000;
            case 3 -> random.nextInt(40) == 0 ? -1 : 999_999_999;
            default -> random.nextInt(1, 1_000_000_000);
        };
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private long pick(long[] values) {
        return values[random.nextInt(values.length)];
    }

    private double pick(double[] values) {
        return values[random.nextInt(values.length)];
    }
}
