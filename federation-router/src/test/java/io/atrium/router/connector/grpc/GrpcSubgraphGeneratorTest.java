package io.atrium.router.connector.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.transcode.ProtoSchema;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrpcSubgraphGeneratorTest {

    private static ProtoSchema payments() throws Exception {
        try (InputStream in = GrpcSubgraphGeneratorTest.class.getClassLoader()
                .getResourceAsStream("META-INF/atrium/protos/atrium.desc")) {
            return ProtoSchema.parse(in.readAllBytes());
        }
    }

    private static GrpcConnectorConfig paymentsConfig() {
        return GrpcConnectorConfig.load(Path.of("../config/connectors/payments.grpc.yaml"));
    }

    @Test
    void paymentsBecomesASubgraphWithEntitiesAndRenamedMutations() throws Exception {
        String sdl = GrpcSubgraphGenerator.generate(payments(), paymentsConfig()).sdl();
        assertThat(sdl)
                .contains("  payment(paymentId: String!): Payment @grpc(method: \"atrium.payments.v1.Payments/GetPayment\")")
                .contains("type Mutation {\n  authorizePayment(userId: String = \"\", orderId: String = \"\", amount: MoneyInput, "
                        + "paymentMethodToken: String = \"\", idempotencyKey: String = \"\"): Payment")
                .contains("  capturePayment(paymentId: String!, amount: MoneyInput): Payment")
                .contains("type Payment @key(fields: \"id\") @grpcLookup(method: \"atrium.payments.v1.Payments/GetPayment\", "
                        + "keyField: \"payment_id\") {")
                .contains("type User @key(fields: \"id\") {\n  id: ID!\n  payments: [Payment!]! @grpc(method: "
                        + "\"atrium.payments.v1.Payments/BatchListPaymentsByUser\", keyField: \"user_ids\", result: \"payments\", "
                        + "matchField: \"user_id\")")
                .contains("  units: Long!\n  nanos: Int!\n")
                .contains("  status: PaymentStatus!\n  createdAt: DateTime\n")
                .contains("enum PaymentStatus {\n  PAYMENT_STATUS_UNSPECIFIED\n")
                .contains("scalar Long", "scalar DateTime")
                .doesNotContain("listPaymentsByUser");
    }

    @Test
    void orderPaymentIsABatchedFieldOnTheOrdersEntityKeyedAsOrdersKeysIt() throws Exception {
        String sdl = GrpcSubgraphGenerator.generate(payments(), paymentsConfig()).sdl();
        assertThat(sdl)
                .contains("type Order @key(fields: \"id\") {\n  id: ID!\n  payment: Payment @grpc(method: "
                        + "\"atrium.payments.v1.Payments/BatchGetPaymentsByOrder\", keyField: \"order_ids\", "
                        + "result: \"payments\", matchField: \"order_id\")\n}")
                .contains("directive @grpc(method: String!, keyField: String, result: String, matchField: String)")
                .doesNotContain("batchGetPaymentsByOrder", "paymentByOrder");
    }

    /** The reviewed SDL is what the command prints for the protos jar today, so its descriptor hash is current. */
    @Test
    void theReviewedPaymentsSubgraphIsTheGeneratorsOutputForTheseDescriptors() throws Exception {
        Path reviewed = Path.of("../config/connectors/payments.graphql");
        var out = new java.io.ByteArrayOutputStream();
        int exit = GrpcConnectorCommand.run(new String[]{"--descriptor-set", "classpath:META-INF/atrium/protos/atrium.desc",
                "--config", "../config/connectors/payments.grpc.yaml"}, new java.io.PrintStream(out, true,
                java.nio.charset.StandardCharsets.UTF_8), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        assertThat(exit).isZero();
        String generated = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(reviewed, generated);
        }
        assertThat(generated).as("config/connectors/payments.graphql is stale: rerun ./atrium connector grpc "
                + "(or this test with -Dgolden.update=true) and review the diff").isEqualTo(Files.readString(reviewed));
        assertThat(generated).contains("descriptorHash: \""
                + GrpcSubgraphGenerator.descriptorHash(payments(), paymentsConfig()) + "\"");
    }

    @Test
    void theGeneratedSubgraphComposesWithTheExampleSubgraphsAndTheOrdersConnector() throws Exception {
        String sdl = GrpcSubgraphGenerator.generate(payments(), paymentsConfig()).sdl();
        var options = new io.swagger.v3.parser.core.models.ParseOptions();
        options.setResolve(true);
        String orders = io.atrium.router.connector.rest.openapi.OpenApiGenerator.generate(new io.swagger.v3.parser
                .OpenAPIV3Parser().readLocation("../examples/src/main/resources/io/atrium/examples/orders/openapi.yaml",
                        null, options).getOpenAPI(), io.atrium.router.connector.rest.openapi.OpenApiGenerator.Options.DEFAULTS);
        CompositionResult result = Composer.compose(List.of(
                new SubgraphSource("accounts", "http://accounts/graphql",
                        Files.readString(Path.of("../config/supergraph/subgraphs/accounts.graphql"))),
                new SubgraphSource("products", "http://products/graphql",
                        Files.readString(Path.of("../config/supergraph/subgraphs/products.graphql"))),
                new SubgraphSource("orders", "http://orders", orders),
                new SubgraphSource("payments", "grpc://payments", sdl)));
        assertThat(result).as(result.toString()).isInstanceOf(CompositionResult.Composed.class);
        String supergraph = ((CompositionResult.Composed) result).supergraphSdl();
        assertThat(supergraph).contains("@join__type(graph: ORDERS, key: \"id\")", "@join__type(graph: PAYMENTS, key: \"id\")")
                .contains("payment: Payment @join__field(graph: PAYMENTS)");
    }

    @Test
    void queryOrMutationFollowsConfigThenVerbThenIdempotencyThenName() throws Exception {
        ProtoSchema schema = sample();
        String sdl = GrpcSubgraphGenerator.generate(schema, GrpcConnectorConfig.parse("""
                format_version: 1
                subgraph: sample
                target: localhost:1
                operations:
                  t.v1.Things.Touch: {kind: query}
                """)).sdl();
        String query = sdl.substring(sdl.indexOf("type Query {"), sdl.indexOf("}", sdl.indexOf("type Query {")));
        String mutation = sdl.substring(sdl.indexOf("type Mutation {"), sdl.indexOf("}", sdl.indexOf("type Mutation {")));
        assertThat(query).contains("touch(", "peek(", "listThings(");
        assertThat(mutation).contains("doThing(");
    }

    @Test
    void theTypeMappingKeepsProto3JsonSemantics() throws Exception {
        GrpcSubgraphGenerator.Result result = GrpcSubgraphGenerator.generate(sample(), GrpcConnectorConfig.parse("""
                format_version: 1
                subgraph: sample
                target: localhost:1
                """));
        String sdl = result.sdl();
        assertThat(sdl)
                .contains("type Thing {\n  big: Long!\n  small: Long!\n  counts: [ThingCountsEntry!]!\n  name: String\n"
                        + "  number: Int\n  maybe: Int\n  meta: JSON\n  mask: [String!]\n  note: String\n  raw: Base64!\n}")
                .contains("type ThingCountsEntry {\n  key: String!\n  value: Int!\n}")
                .contains("input ThingChoiceInput @oneOf {\n  name: String\n  number: Int\n}")
                .contains("doThing(big: Long = \"0\", small: Long = \"0\", counts: [ThingCountsEntryInput!], maybe: Int, "
                        + "meta: JSON, mask: [String!], note: String, raw: Base64 = \"\", choice: ThingChoiceInput): Thing")
                .contains("scalar Base64");
        assertThat(result.leftOut()).containsExactly("t.v1.Things.Watch (server streaming: left out until subscriptions exist)");
    }

    @Test
    void configMistakesNameTheirPlace() throws Exception {
        assertThatThrownBy(() -> GrpcSubgraphGenerator.generate(payments(), GrpcConnectorConfig.parse("""
                format_version: 1
                subgraph: p
                target: x:1
                entities:
                  Payment: {key: id, lookup: atrium.payments.v1.Payments.GetPayment, key_field: nope}
                """))).hasMessageContaining("entities.Payment.key_field");
        assertThatThrownBy(() -> GrpcConnectorConfig.parse("format_version: 1\nsubgraph: p\ntarget: x:1\nfoo: 1\n"))
                .hasMessageContaining("foo");
        String batched = """
                format_version: 1
                subgraph: p
                target: x:1
                entities:
                  Order: {key: id, fields: {payment: {method: atrium.payments.v1.Payments.BatchGetPaymentsByOrder, %s}}}
                """;
        assertThatThrownBy(() -> GrpcSubgraphGenerator.generate(payments(), GrpcConnectorConfig.parse(batched.formatted(
                "key_field: order_ids, result: payments"))))
                .hasMessageContaining("entities.Order.fields.payment.key_field").hasMessageContaining("match_field");
        assertThatThrownBy(() -> GrpcSubgraphGenerator.generate(payments(), GrpcConnectorConfig.parse(batched.formatted(
                "key_field: order_ids, result: payments, match_field: nope"))))
                .hasMessageContaining("entities.Order.fields.payment.match_field");
        assertThatThrownBy(() -> GrpcSubgraphGenerator.generate(payments(), GrpcConnectorConfig.parse(batched.formatted(
                "key_field: order_ids, match_field: order_id"))))
                .hasMessageContaining("entities.Order.fields.payment.result");
        assertThatThrownBy(() -> GrpcConnectorConfig.parse(batched.formatted(
                "key_field: order_ids, result: payments, max_batch: 5")))
                .hasMessageContaining("entities.Order.fields.payment.max_batch");
        assertThatThrownBy(() -> GrpcConnectorConfig.parse(batched.formatted(
                "key_field: order_ids, result: payments, match_field: order_id, max_batch: 0")))
                .hasMessageContaining("entities.Order.fields.payment.max_batch");
        assertThatThrownBy(() -> GrpcConnectorConfig.parse(batched.formatted(
                "key_field: order_ids, result: payments, many: true")))
                .hasMessageContaining("entities.Order.fields.payment.many");
        assertThatThrownBy(() -> GrpcConnectorConfig.parse(batched.formatted(
                "key_field: order_ids, result: payments, match_field: order_id, many: yes please")))
                .hasMessageContaining("entities.Order.fields.payment.many");
        // many: a list of every answer carrying the key
        assertThat(GrpcSubgraphGenerator.generate(payments(), GrpcConnectorConfig.parse(batched.formatted(
                "key_field: order_ids, result: payments, match_field: order_id, many: true"))).sdl())
                .contains("payment: [Payment!]! @grpc(");
    }

    /** A service exercising the mapping: 64-bit and unsigned ints, a map, a oneof, WKTs, optional, bytes, streaming. */
    private static ProtoSchema sample() {
        DescriptorProto thing = DescriptorProto.newBuilder().setName("Thing")
                .addField(field("big", 1, Type.TYPE_INT64))
                .addField(field("small", 2, Type.TYPE_UINT32))
                .addField(field("counts", 3, Type.TYPE_MESSAGE).setTypeName(".t.v1.Thing.CountsEntry").setLabel(Label.LABEL_REPEATED))
                .addField(field("name", 4, Type.TYPE_STRING).setOneofIndex(0))
                .addField(field("number", 5, Type.TYPE_INT32).setOneofIndex(0))
                .addField(field("maybe", 6, Type.TYPE_MESSAGE).setTypeName(".google.protobuf.Int32Value"))
                .addField(field("meta", 7, Type.TYPE_MESSAGE).setTypeName(".google.protobuf.Struct"))
                .addField(field("mask", 8, Type.TYPE_MESSAGE).setTypeName(".google.protobuf.FieldMask"))
                .addField(field("note", 9, Type.TYPE_STRING).setProto3Optional(true).setOneofIndex(1))
                .addField(field("raw", 10, Type.TYPE_BYTES))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("choice"))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_note"))
                .addNestedType(DescriptorProto.newBuilder().setName("CountsEntry")
                        .addField(field("key", 1, Type.TYPE_STRING))
                        .addField(field("value", 2, Type.TYPE_INT32))
                        .setOptions(MessageOptions.newBuilder().setMapEntry(true)))
                .build();
        ServiceDescriptorProto service = ServiceDescriptorProto.newBuilder().setName("Things")
                .addMethod(method("DoThing"))
                .addMethod(method("Touch"))
                .addMethod(method("ListThings"))
                .addMethod(method("Peek").setOptions(MethodOptions.newBuilder()
                        .setIdempotencyLevel(MethodOptions.IdempotencyLevel.NO_SIDE_EFFECTS)))
                .addMethod(method("Watch").setServerStreaming(true))
                .build();
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("t/v1/things.proto").setPackage("t.v1")
                .setSyntax("proto3")
                .addDependency("google/protobuf/wrappers.proto")
                .addDependency("google/protobuf/struct.proto")
                .addDependency("google/protobuf/field_mask.proto")
                .addMessageType(thing).addService(service).build();
        return ProtoSchema.of(Map.of(file.getName(), file));
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(Label.LABEL_OPTIONAL).setJsonName(GrpcSubgraphGenerator.lowerCamel(name));
    }

    private static MethodDescriptorProto.Builder method(String name) {
        return MethodDescriptorProto.newBuilder().setName(name).setInputType(".t.v1.Thing").setOutputType(".t.v1.Thing");
    }
}
