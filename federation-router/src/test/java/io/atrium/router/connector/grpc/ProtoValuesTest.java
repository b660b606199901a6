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
        message.addField(field("maybe", number++, Type.TYPE_STRING, Label.LABEL_OPTIONAL).setProto3Optional(true)
                .setOneofIndex(0));
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
        assertThatThrownBy(() -> ProtoValues.timestamp(Timestamp.newBuilder().setSeconds(253402300800L).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void typesWithMapsAreLeftToTheJsonRoute() {
        assertThat(new ProtoValues().toGraphQL(DynamicMessage.getDefaultInstance(withMap))).isNull();
    }

    @Test
    void plainArgumentsBuildTheMessageTheJsonRouteBuilds() throws Exception {
        Map<String, Object> arguments = Map.of("stringValue", "a", "manyString", List.of("1", "2"), "int32Value", -4,
                "boolValue", true);
        DynamicMessage direct = ProtoValues.fromArguments(all, arguments);
        DynamicMessage.Builder parsed = DynamicMessage.newBuilder(all);
        JsonFormat.parser().merge(Json.writeString(arguments), parsed);
        assertThat(direct).isEqualTo(parsed.build());
        assertThat(ProtoValues.fromArguments(all, Map.of("int64Value", "5"))).as("not plain: the JSON route").isNull();
        assertThat(ProtoValues.fromArguments(all, Map.of("nope", "5"))).as("unknown: the JSON route's error").isNull();
    }

    /** The direct conversion equals the JSON route's, compared as values and as the JSON the router writes. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> assertSame(DynamicMessage message) {
        Map<String, Object> direct = new ProtoValues().toGraphQL(message);
        Object viaJson = GrpcResolvers.viaJson(PRINTER, message);
        assertThat(direct).isEqualTo(viaJson);
        assertThat(Json.writeString(direct)).isEqualTo(Json.writeString(viaJson));
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
