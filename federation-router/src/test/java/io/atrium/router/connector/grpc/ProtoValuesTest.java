package io.atrium.router.connector.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.atrium.router.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct message ↔ GraphQL conversion gives value for value what the proto3 JSON route gives (JsonFormat print,
 * Gson read, convert), for every scalar kind at its edges, enums (an unknown number too), nested and repeated messages,
 * Timestamps, and fields with and without presence; types it does not handle are left to the JSON route.
 */
class ProtoValuesTest {

    private static Descriptor all;
    private static Descriptor withMap;
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();

    @BeforeAll
    static void types() throws Exception {
        FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder().setName("t/all.proto").setPackage("t")
                .setSyntax("proto3").addDependency("google/protobuf/timestamp.proto");
        file.addEnumType(EnumDescriptorProto.newBuilder().setName("Color")
                .addValue(EnumValueDescriptorProto.newBuilder().setName("COLOR_UNSPECIFIED").setNumber(0))
                .addValue(EnumValueDescriptorProto.newBuilder().setName("RED").setNumber(1)));
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName("All");
        Type[] scalars = {Type.TYPE_INT32, Type.TYPE_SINT32, Type.TYPE_SFIXED32, Type.TYPE_UINT32, Type.TYPE_FIXED32,
                Type.TYPE_INT64, Type.TYPE_SINT64, Type.TYPE_SFIXED64, Type.TYPE_UINT64, Type.TYPE_FIXED64,
                Type.TYPE_FLOAT, Type.TYPE_DOUBLE, Type.TYPE_BOOL, Type.TYPE_STRING, Type.TYPE_BYTES};
        int number = 1;
        for (Type type : scalars) {
            String name = type.name().substring(5).toLowerCase();
            message.addField(field(name + "_value", number++, type, Label.LABEL_OPTIONAL));
            message.addField(field("many_" + name, number++, type, Label.LABEL_REPEATED));
        }
        message.addField(field("color", number++, Type.TYPE_ENUM, Label.LABEL_OPTIONAL).setTypeName(".t.Color"));
        message.addField(field("colors", number++, Type.TYPE_ENUM, Label.LABEL_REPEATED).setTypeName(".t.Color"));
        message.addField(field("at", number++, Type.TYPE_MESSAGE, Label.LABEL_OPTIONAL)
                .setTypeName(".google.protobuf.Timestamp"));
        message.addField(field("child", number++, Type.TYPE_MESSAGE, Label.LABEL_OPTIONAL).setTypeName(".t.All"));
        message.addField(field("children", number++, Type.TYPE_MESSAGE, Label.LABEL_REPEATED).setTypeName(".t.All"));
        message.addField(field("pick_string", number++, Type.TYPE_STRING, Label.LABEL_OPTIONAL).setOneofIndex(0));
        message.addField(field("pick_number", number++, Type.TYPE_INT32, Label.LABEL_OPTIONAL).setOneofIndex(0));
        message.addField(field("maybe", number++, Type.TYPE_STRING, Label.LABEL_OPTIONAL).setProto3Optional(true)
                .setOneofIndex(1));
        message.addOneofDecl(com.google.protobuf.DescriptorProtos.OneofDescriptorProto.newBuilder().setName("pick"));
        message.addOneofDecl(com.google.protobuf.DescriptorProtos.OneofDescriptorProto.newBuilder().setName("_maybe"));
        file.addMessageType(message);
        file.addMessageType(DescriptorProto.newBuilder().setName("WithMap")
                .addField(field("labels", 1, Type.TYPE_MESSAGE, Label.LABEL_REPEATED).setTypeName(".t.WithMap.LabelsEntry"))
                .addNestedType(DescriptorProto.newBuilder().setName("LabelsEntry")
                        .setOptions(com.google.protobuf.DescriptorProtos.MessageOptions.newBuilder().setMapEntry(true))
                        .addField(field("key", 1, Type.TYPE_STRING, Label.LABEL_OPTIONAL))
                        .addField(field("value", 2, Type.TYPE_STRING, Label.LABEL_OPTIONAL))));
        FileDescriptor built = FileDescriptor.buildFrom(file.build(), new FileDescriptor[]{Timestamp.getDescriptor().getFile()});
        all = built.findMessageTypeByName("All");
        withMap = built.findMessageTypeByName("WithMap");
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type, Label label) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(label);
    }

    @Test
    void defaultsAreTheJsonRoutes() {
        assertSame(DynamicMessage.getDefaultInstance(all));
    }

    @Test
    void everyScalarAtItsEdgesIsTheJsonRoutes() {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(all);
        set(builder, "int32_value", -7);
        set(builder, "sint32_value", Integer.MIN_VALUE);
        set(builder, "sfixed32_value", Integer.MAX_VALUE);
        set(builder, "uint32_value", -1);                 // 4294967295
        set(builder, "fixed32_value", -2);
        set(builder, "int64_value", Long.MIN_VALUE);
        set(builder, "sint64_value", -3L);
        set(builder, "sfixed64_value", 1L << 53 | 1);
        set(builder, "uint64_value", -1L);                // 18446744073709551615
        set(builder, "fixed64_value", 42L);
        set(builder, "float_value", 0.1f);
        set(builder, "double_value", 1e300);
        set(builder, "bool_value", true);
        set(builder, "string_value", "héllo \"x\"");
        set(builder, "bytes_value", ByteString.copyFrom(new byte[]{0, -1, 62, 63}));
        builder.setField(all.findFieldByName("color"), all.getFile().findEnumTypeByName("Color").findValueByNumber(1));
        builder.setField(all.findFieldByName("at"), DynamicMessage.newBuilder(Timestamp.getDescriptor())
                .mergeFrom(Timestamp.newBuilder().setSeconds(1767345300).setNanos(120_000_000).build()).build());
        builder.setField(all.findFieldByName("maybe"), "");
        add(builder, "many_float", Float.NaN, Float.POSITIVE_INFINITY, -0.0f, 3.4028235e38f);
        add(builder, "many_double", Double.NEGATIVE_INFINITY, 0.5, Double.MIN_VALUE);
        add(builder, "many_uint32", 0, -1);
        add(builder, "many_bytes", ByteString.EMPTY);
        builder.addRepeatedField(all.findFieldByName("colors"),
                all.getFile().findEnumTypeByName("Color").findValueByNumberCreatingIfUnknown(9));
        DynamicMessage child = DynamicMessage.newBuilder(all).setField(all.findFieldByName("int32_value"), 3).build();
        builder.setField(all.findFieldByName("child"), child);
        builder.addRepeatedField(all.findFieldByName("children"), child);
        builder.addRepeatedField(all.findFieldByName("children"), DynamicMessage.getDefaultInstance(all));

        Map<String, Object> direct = assertSame(builder.build());
        assertThat(direct).containsEntry("uint32Value", "4294967295").containsEntry("uint64Value", "18446744073709551615")
                .containsEntry("floatValue", 0.1).containsEntry("color", "RED").containsEntry("maybe", "")
                .containsEntry("at", "2026-01-02T09:15:00.120Z").containsEntry("colors", List.of(9.0));
    }

    @Test
    void timestampsAreWrittenAsJsonFormatWritesThem() {
        long[][] cases = {{0, 0}, {1767345300, 120_000_000}, {1767345300, 120_500_000}, {1767345300, 1},
                {-62135596800L, 0}, {253402300799L, 999_999_999}, {-1, 999_000}, {951782400, 0}};
        for (long[] at : cases) {
            Timestamp timestamp = Timestamp.newBuilder().setSeconds(at[0]).setNanos((int) at[1]).build();
            assertThat(ProtoValues.timestamp(timestamp)).isEqualTo(com.google.protobuf.util.Timestamps.toString(timestamp));
        }
        // the whole range: every year's leap rules, days around month ends, each fraction length
        java.util.Random random = new java.util.Random(20261203);
        long min = com.google.protobuf.util.Timestamps.MIN_VALUE.getSeconds();
        long max = com.google.protobuf.util.Timestamps.MAX_VALUE.getSeconds();
        int[] nanos = {0, 1, 999_999_999, 5_000_000, 7_000, 123_456_789, 100_000_000};
        for (int i = 0; i < 50_000; i++) {
            long seconds = i % 2 == 0 ? min + Math.floorMod(random.nextLong(), max - min + 1)
                    : random.nextInt(4_000_000) * 86_400L - 1_000_000 * 86_400L + random.nextInt(3) - 1;
            Timestamp timestamp = Timestamp.newBuilder().setSeconds(Math.max(min, Math.min(max, seconds)))
                    .setNanos(nanos[random.nextInt(nanos.length)]).build();
            assertThat(ProtoValues.timestamp(timestamp)).isEqualTo(com.google.protobuf.util.Timestamps.toString(timestamp));
        }
        assertThatThrownBy(() -> ProtoValues.timestamp(Timestamp.newBuilder().setSeconds(253402300800L).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void typesWithMapsAreLeftToTheJsonRoute() {
        assertThat(new ProtoValues().toGraphQL(DynamicMessage.getDefaultInstance(withMap))).isNull();
    }

    @Test
    void plainArgumentsAreTheBytesTheJsonRouteWrites() throws Exception {
        // the JSON route: proto3 JSON parsed into a message, serialized; the direct writer must give the same bytes
        List<Map<String, Object>> cases = List.of(
                Map.of("stringValue", "a", "manyString", List.of("1", "2"), "int32Value", -4, "boolValue", true),
                Map.of("stringValue", "", "int32Value", 0, "boolValue", false, "manyInt32", List.of()),
                Map.of("manyInt32", List.of(1, -1, 300, Integer.MIN_VALUE), "manySint32", List.of(-2, 2),
                        "manySfixed32", List.of(7, -7), "manyBool", List.of(true, false)),
                Map.of("sint32Value", -70000, "sfixed32Value", Integer.MAX_VALUE, "manyString", List.of("日本", "")),
                new java.util.HashMap<>(java.util.Collections.singletonMap("stringValue", null)));
        for (Map<String, Object> arguments : cases) {
            byte[] direct = ProtoArguments.encodeArguments(all, arguments);
            DynamicMessage.Builder parsed = DynamicMessage.newBuilder(all);
            JsonFormat.parser().merge(Json.writeString(arguments), parsed);
            assertThat(direct).as("%s", arguments).isEqualTo(parsed.build().toByteArray());
        }
        assertThat(ProtoArguments.encodeArguments(all, Map.of("int64Value", "5"))).as("not plain: the JSON route").isNull();
        assertThat(ProtoArguments.encodeArguments(all, Map.of("manyInt32", List.of(1, "2")))).as("not plain").isNull();
        assertThat(ProtoArguments.encodeArguments(all, Map.of("nope", "5"))).as("unknown: the JSON route's error").isNull();
        assertThat(ProtoArguments.encodeArguments(all, Map.of("pickString", "x"))).as("a oneof member").isNull();
    }

    @Test
    void theWireDecoderGivesWhatParsingThenConvertingGives() throws Exception {
        // random messages, and pairs of them sent one after the other: what parsing does with a field seen twice (the
        // last singular value wins, repeated ones accumulate, messages merge, a oneof member clears the other)
        java.util.Random random = new java.util.Random(20261203);
        ProtoValues values = new ProtoValues();
        for (int i = 0; i < 800; i++) {
            DynamicMessage a = randomAll(random, 3);
            byte[] bytes = a.toByteArray();
            if (i % 2 == 1) {
                bytes = com.google.protobuf.ByteString.copyFrom(bytes).concat(randomAll(random, 2).toByteString()).toByteArray();
            }
            if (i % 4 == 3) { // a third time: merged with what the first two made
                bytes = com.google.protobuf.ByteString.copyFrom(bytes).concat(randomAll(random, 3).toByteString()).toByteArray();
            }
            DynamicMessage parsed = DynamicMessage.parseFrom(all, bytes);
            Map<String, Object> expected = values.toGraphQL(parsed);
            Map<String, Object> wire = values.fromWire(all, bytes);
            assertThat(wire).as("message %d", i).isEqualTo(expected);
            assertThat(Json.writeString(wire)).isEqualTo(Json.writeString(GrpcResolvers.viaJson(PRINTER, parsed)));
        }
        // packed and unpacked encodings of one repeated field are both read
        FieldDescriptor many = all.findFieldByName("many_int32");
        com.google.protobuf.ByteString.Output out = com.google.protobuf.ByteString.newOutput();
        com.google.protobuf.CodedOutputStream coded = com.google.protobuf.CodedOutputStream.newInstance(out);
        coded.writeInt32(many.getNumber(), 5);                       // unpacked
        coded.writeTag(many.getNumber(), com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
        coded.writeUInt32NoTag(2);
        coded.writeInt32NoTag(6);
        coded.writeInt32NoTag(7);                                     // packed
        coded.writeInt64(999, 1);                                     // unknown: skipped
        coded.flush();
        assertThat(values.fromWire(all, out.toByteString().toByteArray())).containsEntry("manyInt32", List.of(5, 6, 7));
        // what only the parser decides is left to it: not a message, a string that is not UTF-8, a type with a map
        assertThat(values.fromWire(all, new byte[]{(byte) 0x0a})).isNull();
        coded = com.google.protobuf.CodedOutputStream.newInstance(out = com.google.protobuf.ByteString.newOutput());
        coded.writeByteArray(all.findFieldByName("string_value").getNumber(), new byte[]{(byte) 0xff});
        coded.flush();
        assertThat(values.fromWire(all, out.toByteString().toByteArray())).isNull();
        assertThat(values.fromWire(withMap, new byte[0])).isNull();
    }

    private static DynamicMessage randomAll(java.util.Random random, int depth) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(all);
        for (FieldDescriptor field : all.getFields()) {
            if (random.nextInt(3) != 0 || (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth == 0
                    && !field.getMessageType().equals(Timestamp.getDescriptor()))) {
                continue;
            }
            if (field.isRepeated()) {
                for (int n = random.nextInt(4); n > 0; n--) {
                    builder.addRepeatedField(field, randomValue(random, field, depth));
                }
            } else {
                builder.setField(field, randomValue(random, field, depth));
            }
        }
        return builder.build();
    }

    private static Object randomValue(java.util.Random random, FieldDescriptor field, int depth) {
        float[] floats = {0f, -0f, 0.1f, Float.NaN, Float.NEGATIVE_INFINITY, 3.4028235e38f, 1.17549435e-38f};
        double[] doubles = {0, 1e300, -2.5, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE};
        String[] strings = {"", "a", "héllo \"x\"", "日本", "\u0000\n"};
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32, UINT32, FIXED32 -> random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(5) - 2;
            case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> random.nextInt(3) == 0 ? random.nextLong() : (long) random.nextInt(5) - 2;
            case FLOAT -> floats[random.nextInt(floats.length)];
            case DOUBLE -> doubles[random.nextInt(doubles.length)];
            case BOOL -> random.nextBoolean();
            case STRING -> strings[random.nextInt(strings.length)];
            case BYTES -> {
                byte[] bytes = new byte[random.nextInt(5)];
                random.nextBytes(bytes);
                yield ByteString.copyFrom(bytes);
            }
            case ENUM -> field.getEnumType().findValueByNumberCreatingIfUnknown(new int[]{0, 1, 7}[random.nextInt(3)]);
            case MESSAGE, GROUP -> field.getMessageType().equals(Timestamp.getDescriptor())
                    ? DynamicMessage.newBuilder(Timestamp.getDescriptor()).mergeFrom(Timestamp.newBuilder()
                            .setSeconds(random.nextInt(2_000_000_000)).setNanos(new int[]{0, 120_000_000, 1}[random.nextInt(3)])
                            .build()).build()
                    : randomAll(random, depth - 1);
        };
    }

    /** The direct conversion equals the JSON route's, compared as values and as the JSON the router writes. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> assertSame(DynamicMessage message) {
        Map<String, Object> direct = new ProtoValues().toGraphQL(message);
        Object viaJson = GrpcResolvers.viaJson(PRINTER, message);
        assertThat(direct).isEqualTo(viaJson);
        assertThat(Json.writeString(direct)).isEqualTo(Json.writeString(viaJson));
        assertThat(new ProtoValues().fromWire(message.getDescriptorForType(), message.toByteArray()))
                .as("from the wire bytes").isEqualTo(direct);
        return direct;
    }

    private static void set(DynamicMessage.Builder builder, String field, Object value) {
        builder.setField(all.findFieldByName(field), value);
    }

    private static void add(DynamicMessage.Builder builder, String field, Object... values) {
        FieldDescriptor descriptor = all.findFieldByName(field);
        for (Object value : values) {
            builder.addRepeatedField(descriptor, value);
        }
    }
}
