package io.atrium.router.connector.grpc;

import com.google.api.FieldBehavior;
import com.google.api.FieldBehaviorProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.atrium.router.transcode.PathTemplate;
import io.atrium.router.transcode.ProtoSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Generates a reviewable Federation 2 subgraph SDL from gRPC descriptors (proto first): every unary method of the
 * chosen services becomes a root field, request fields its arguments, messages object and input types.
 *
 * <p>Type mapping: 32-bit signed integers → {@code Int}; 64-bit integers and {@code uint32}/{@code fixed32} →
 * {@code Long} (a string scalar, as proto3 JSON prints 64-bit values; {@code Int} cannot hold them); float/double →
 * {@code Float}; bytes → {@code Base64}; enums by value name; Timestamp → {@code DateTime}; Duration → {@code Duration};
 * wrappers → the nullable scalar; Struct/Value/ListValue/Any → {@code JSON}; FieldMask → {@code [String!]};
 * {@code map<K,V>} → a list of typed entries; a {@code oneof} → a {@code @oneOf} input and nullable members on
 * output. Implicit-presence fields are non-null on output (their default when unset) and default-valued arguments on
 * input; {@code optional}, message and oneof fields are nullable. Names are the fields' JSON names.
 *
 * <p>Query or Mutation, in this order: the config's {@code kind}, the {@code google.api.http} verb (GET → Query),
 * {@code idempotency_level = NO_SIDE_EFFECTS} (→ Query), then a read-like method name prefix; else Mutation.
 * Server-streaming methods are listed in {@link Result#leftOut()} until subscriptions exist.
 */
public final class GrpcSubgraphGenerator {
    static final String SPEC = "https://specs.atrium.dev/grpc/v0.1";
    private static final List<String> READ_PREFIXES = List.of("Get", "List", "Search", "Find", "Lookup", "Query",
            "Count", "BatchGet", "Check", "Describe", "Read", "Fetch");

    private final ProtoSchema schema;
    private final GrpcConnectorConfig config;
    private final Map<String, String> typeNames = new LinkedHashMap<>();
    private final Map<String, String> outputs = new TreeMap<>();
    private final Map<String, String> inputs = new TreeMap<>();
    private final Map<String, String> enums = new TreeMap<>();
    private final Set<String> scalars = new LinkedHashSet<>();
    private final List<String> leftOut = new ArrayList<>();
    private final Map<String, String> entityDirectives = new LinkedHashMap<>();

    private final List<RootBinding> roots = new ArrayList<>();
    private final List<EntityLookup> lookups = new ArrayList<>();
    private final List<EntityFieldBinding> entityFields = new ArrayList<>();

    /**
     * @param sdl      the subgraph SDL
     * @param leftOut  methods not exposed and why (server/client streaming), for a log line
     * @param bindings which RPC answers which field: what the run time ({@link GrpcResolvers}) executes
     * @param descriptorHash {@link #descriptorHash} of the descriptors it was generated from (in {@code @grpcSource})
     */
    public record Result(String sdl, List<String> leftOut, Bindings bindings, String descriptorHash) {
    }

    /** A root field answered by a method: its arguments are the request's fields. */
    public record RootBinding(String typeName, String field, MethodDescriptor method) {
    }

    /** An entity of this subgraph fetched by key with a lookup RPC. */
    public record EntityLookup(String typeName, String key, MethodDescriptor method, String keyField) {
    }

    /**
     * A field added to an entity owned elsewhere, answered by an RPC taking the entity's key. Batched when
     * {@code matchField} is set: the RPC takes many keys ({@code keyField} repeated) and answers a repeated
     * {@code result} whose elements carry their key in {@code matchField}; at most {@code maxBatch} keys per call.
     */
    public record EntityFieldBinding(String typeName, String field, String key, MethodDescriptor method, String keyField,
                                     String result, String matchField, int maxBatch, boolean many) {
        public boolean batched() {
            return matchField != null;
        }
    }

    public record Bindings(List<RootBinding> roots, List<EntityLookup> lookups, List<EntityFieldBinding> entityFields) {
        public Bindings {
            roots = List.copyOf(roots);
            lookups = List.copyOf(lookups);
            entityFields = List.copyOf(entityFields);
        }
    }

    private GrpcSubgraphGenerator(ProtoSchema schema, GrpcConnectorConfig config) {
        this.schema = schema;
        this.config = config;
    }

    /** @throws IllegalArgumentException naming the method, type or config entry that does not fit */
    public static Result generate(ProtoSchema schema, GrpcConnectorConfig config) {
        return new GrpcSubgraphGenerator(schema, config).run();
    }

    /**
     * The hash the generated SDL snapshots in {@code @grpcSource(descriptorHash:)} and the router re-checks: over the
     * files of the services the connector config exposes (all when it names none) and their imports.
     */
    public static String descriptorHash(ProtoSchema schema, GrpcConnectorConfig config) {
        return ProtoSchema.servicesHash(new GrpcSubgraphGenerator(schema, config).services());
    }

    private Result run() {
        List<ServiceDescriptor> services = services();
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> mutation = new LinkedHashMap<>();
        for (ServiceDescriptor service : services) {
            for (MethodDescriptor method : service.getMethods()) {
                String selector = service.getFullName() + "." + method.getName();
                GrpcConnectorConfig.Operation op = config.operations().get(selector);
                if (op != null && !op.expose()) {
                    continue;
                }
                if (method.isClientStreaming() || method.isServerStreaming()) {
                    leftOut.add(selector + " (" + (method.isClientStreaming() ? "client" : "server")
                            + " streaming: left out until subscriptions exist)");
                    continue;
                }
                String name = op != null && op.field() != null ? op.field() : lowerCamel(method.getName());
                Map<String, String> root = kind(method, selector, op) == GrpcConnectorConfig.Kind.QUERY ? query : mutation;
                if (root.containsKey(name) || (root == query ? mutation : query).containsKey(name)) {
                    throw new IllegalArgumentException("root field '" + name + "' comes from two methods; rename one "
                            + "in operations.<selector>.field");
                }
                root.put(name, rootField(name, method, selector));
                roots.add(new RootBinding(root == query ? "Query" : "Mutation", name, method));
            }
        }
        StringBuilder entitiesSdl = new StringBuilder();
        for (var entity : config.entities().entrySet()) {
            entity(entity.getKey(), entity.getValue(), entitiesSdl);
        }
        for (String selector : config.operations().keySet()) {
            if (schema.method(selector) == null) {
                throw new IllegalArgumentException("operations." + selector + ": no such method in the descriptors");
            }
        }
        StringBuilder sdl = new StringBuilder();
        String hash = ProtoSchema.servicesHash(services);
        sdl.append("# Generated by ./atrium connector grpc from descriptors ").append(hash, 0, 16)
                .append("; review before publishing.\n");
        sdl.append("extend schema\n  @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"])\n")
                .append("  @grpcSource(target: \"").append(config.target()).append("\", descriptorHash: \"")
                .append(hash).append("\"");
        if (!config.metadata().isEmpty()) {
            sdl.append(", metadata: [").append(String.join(", ", config.metadata().stream().map(m -> '"' + m + '"').toList()))
                    .append(']');
        }
        sdl.append(")\n\n");
        sdl.append("directive @grpcSource(target: String!, descriptorHash: String!, metadata: [String!]) on SCHEMA\n");
        sdl.append("directive @grpc(method: String!, keyField: String, result: String, matchField: String) "
                + "on FIELD_DEFINITION\n");
        sdl.append("directive @grpcLookup(method: String!, keyField: String!) on OBJECT\n\n");
        appendRoot(sdl, "Query", query);
        appendRoot(sdl, "Mutation", mutation);
        sdl.append(entitiesSdl);
        outputs.forEach((name, body) -> sdl.append(body).append('\n'));
        inputs.forEach((name, body) -> sdl.append(body).append('\n'));
        enums.forEach((name, body) -> sdl.append(body).append('\n'));
        for (String scalar : scalars) {
            sdl.append(scalarDefinition(scalar)).append('\n');
        }
        return new Result(sdl.toString().strip() + "\n", List.copyOf(leftOut), new Bindings(roots, lookups, entityFields),
                hash);
    }

    private List<ServiceDescriptor> services() {
        List<ServiceDescriptor> services = new ArrayList<>();
        for (String wanted : config.services()) {
            ServiceDescriptor service = schema.services().get(wanted);
            if (service == null) {
                throw new IllegalArgumentException("services: '" + wanted + "' is not in the descriptors (found "
                        + schema.services().keySet() + ")");
            }
            services.add(service);
        }
        return services.isEmpty() ? List.copyOf(schema.services().values()) : services;
    }

    /** The Query-or-Mutation order of the issue: config, HTTP verb, idempotency level, name prefix. */
    GrpcConnectorConfig.Kind kind(MethodDescriptor method, String selector, GrpcConnectorConfig.Operation op) {
        if (op != null && op.kind() != null) {
            return op.kind();
        }
        HttpRule rule = schema.httpRules().get(selector);
        if (rule != null && rule.getPatternCase() != HttpRule.PatternCase.PATTERN_NOT_SET) {
            return rule.getPatternCase() == HttpRule.PatternCase.GET ? GrpcConnectorConfig.Kind.QUERY
                    : GrpcConnectorConfig.Kind.MUTATION;
        }
        if (method.getOptions().getIdempotencyLevel() == IdempotencyLevel.NO_SIDE_EFFECTS) {
            return GrpcConnectorConfig.Kind.QUERY;
        }
        for (String prefix : READ_PREFIXES) {
            if (method.getName().startsWith(prefix)) {
                return GrpcConnectorConfig.Kind.QUERY;
            }
        }
        return GrpcConnectorConfig.Kind.MUTATION;
    }

    private String rootField(String name, MethodDescriptor method, String selector) {
        Set<String> required = required(method, selector);
        String args = arguments(method.getInputType(), required);
        return "  " + name + args + ": " + returnType(method.getOutputType()) + " @grpc(method: \""
                + method.getService().getFullName() + "/" + method.getName() + "\")\n";
    }

    /** Fields a caller must give: bound by the HTTP path, or {@code field_behavior = REQUIRED}. */
    private Set<String> required(MethodDescriptor method, String selector) {
        Set<String> required = new HashSet<>();
        HttpRule rule = schema.httpRules().get(selector);
        if (rule != null) {
            String path = switch (rule.getPatternCase()) {
                case GET -> rule.getGet();
                case POST -> rule.getPost();
                case PUT -> rule.getPut();
                case PATCH -> rule.getPatch();
                case DELETE -> rule.getDelete();
                case CUSTOM -> rule.getCustom().getPath();
                default -> null;
            };
            if (path != null) {
                for (PathTemplate.Variable variable : PathTemplate.parse(path).variables()) {
                    required.add(variable.fieldPath().split("\\.")[0]);
                }
            }
        }
        for (FieldDescriptor field : method.getInputType().getFields()) {
            if (field.getOptions().getExtension(FieldBehaviorProto.fieldBehavior).contains(FieldBehavior.REQUIRED)) {
                required.add(field.getName());
            }
        }
        return required;
    }

    private String arguments(Descriptor input, Set<String> required) {
        List<String> args = new ArrayList<>();
        Set<OneofDescriptor> oneofs = new LinkedHashSet<>();
        for (FieldDescriptor field : input.getFields()) {
            OneofDescriptor oneof = field.getRealContainingOneof();
            if (oneof != null) {
                oneofs.add(oneof);
                continue;
            }
            args.add(field.getJsonName() + ": " + inputFieldType(field, required.contains(field.getName())));
        }
        for (OneofDescriptor oneof : oneofs) {
            args.add(lowerCamel(oneof.getName()) + ": " + oneofInput(oneof));
        }
        return args.isEmpty() ? "" : "(" + String.join(", ", args) + ")";
    }

    private String returnType(Descriptor output) {
        return output.getFullName().equals("google.protobuf.Empty") ? "Boolean" : outputType(output);
    }

    private void entity(String typeName, GrpcConnectorConfig.Entity entity, StringBuilder out) {
        String path = "entities." + typeName;
        String messageType = null;
        if (entity.lookup() != null) {
            MethodDescriptor lookup = method(entity.lookup(), path + ".lookup");
            if (lookup.getInputType().findFieldByName(entity.keyField()) == null) {
                throw new IllegalArgumentException(path + ".key_field: '" + entity.keyField() + "' is not a field of "
                        + lookup.getInputType().getFullName());
            }
            messageType = outputType(lookup.getOutputType());
            if (!messageType.equals(typeName)) {
                throw new IllegalArgumentException(path + ": the lookup returns " + messageType + ", not " + typeName);
            }
            lookups.add(new EntityLookup(typeName, entity.key(), lookup, entity.keyField()));
            entityDirectives.put(typeName, " @key(fields: \"" + entity.key() + "\") @grpcLookup(method: \""
                    + lookup.getService().getFullName() + "/" + lookup.getName() + "\", keyField: \"" + entity.keyField() + "\")");
            outputs.put(typeName, outputs.get(typeName).replaceFirst("\\{",
                    java.util.regex.Matcher.quoteReplacement(entityDirectives.get(typeName).strip() + " {")));
        }
        if (entity.fields().isEmpty()) {
            return;
        }
        if (messageType != null) {
            throw new IllegalArgumentException(path + ".fields: RPC-backed fields go on entities owned elsewhere");
        }
        out.append("type ").append(typeName).append(" @key(fields: \"").append(entity.key()).append("\") {\n  ")
                .append(entity.key()).append(": ID!\n");
        for (var field : entity.fields().entrySet()) {
            String fieldPath = path + ".fields." + field.getKey();
            GrpcConnectorConfig.EntityField spec = field.getValue();
            MethodDescriptor method = method(spec.method(), fieldPath + ".method");
            if (method.getInputType().findFieldByName(spec.keyField()) == null) {
                throw new IllegalArgumentException(fieldPath + ".key_field: '" + spec.keyField() + "' is not a field of "
                        + method.getInputType().getFullName());
            }
            String type = spec.batched() ? batchedType(method, spec, fieldPath) : entityFieldType(method, spec, fieldPath);
            entityFields.add(new EntityFieldBinding(typeName, field.getKey(), entity.key(), method, spec.keyField(),
                    spec.result(), spec.matchField(), spec.maxBatch(), spec.many()));
            out.append("  ").append(field.getKey()).append(": ").append(type).append(" @grpc(method: \"")
                    .append(method.getService().getFullName()).append('/').append(method.getName())
                    .append("\", keyField: \"").append(spec.keyField()).append('"');
            if (spec.result() != null) {
                out.append(", result: \"").append(spec.result()).append('"');
            }
            if (spec.batched()) {
                out.append(", matchField: \"").append(spec.matchField()).append('"');
            }
            out.append(")\n");
        }
        out.append("}\n\n");
    }

    private String entityFieldType(MethodDescriptor method, GrpcConnectorConfig.EntityField spec, String fieldPath) {
        if (method.getInputType().findFieldByName(spec.keyField()).isRepeated()) {
            throw new IllegalArgumentException(fieldPath + ".key_field: '" + spec.keyField() + "' is repeated: name the "
                    + "answer's key field in match_field to batch, or use a method taking one key");
        }
        if (spec.result() == null) {
            return returnType(method.getOutputType());
        }
        return outputFieldType(resultField(method, spec, fieldPath));
    }

    /** One call for many entities: a repeated key field in, a repeated message out, matched back by match_field. */
    private String batchedType(MethodDescriptor method, GrpcConnectorConfig.EntityField spec, String fieldPath) {
        FieldDescriptor keys = method.getInputType().findFieldByName(spec.keyField());
        if (!keys.isRepeated() || keys.isMapField() || keys.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            throw new IllegalArgumentException(fieldPath + ".key_field: a batched field needs a repeated scalar key "
                    + "field; '" + spec.keyField() + "' of " + method.getInputType().getFullName() + " is not");
        }
        if (spec.result() == null) {
            throw new IllegalArgumentException(fieldPath + ".result: a batched field names the repeated answer field");
        }
        FieldDescriptor result = resultField(method, spec, fieldPath);
        if (!result.isRepeated() || result.isMapField() || result.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            throw new IllegalArgumentException(fieldPath + ".result: '" + spec.result() + "' must be a repeated message"
                    + " field for a batched field");
        }
        FieldDescriptor match = result.getMessageType().findFieldByName(spec.matchField());
        if (match == null || match.isRepeated() || match.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            throw new IllegalArgumentException(fieldPath + ".match_field: '" + spec.matchField() + "' is not a scalar "
                    + "field of " + result.getMessageType().getFullName());
        }
        String item = outputType(result.getMessageType());
        // many: every answer carrying the key, none = an empty list; else nullable: no answer gets null
        return spec.many() ? "[" + item + "!]!" : item;
    }

    private FieldDescriptor resultField(MethodDescriptor method, GrpcConnectorConfig.EntityField spec, String fieldPath) {
        FieldDescriptor result = method.getOutputType().findFieldByName(spec.result());
        if (result == null) {
            throw new IllegalArgumentException(fieldPath + ".result: '" + spec.result() + "' is not a field of "
                    + method.getOutputType().getFullName());
        }
        return result;
    }

    private MethodDescriptor method(String selector, String path) {
        MethodDescriptor method = schema.method(selector);
        if (method == null) {
            throw new IllegalArgumentException(path + ": no method '" + selector + "' in the descriptors");
        }
        return method;
    }

    // ------------------------------------------------------------------ types

    private String outputType(Descriptor type) {
        String name = typeName(type, "");
        if (outputs.containsKey(name)) {
            return name;
        }
        outputs.put(name, "");
        StringBuilder body = new StringBuilder("type ").append(name).append(" {\n");
        for (FieldDescriptor field : type.getFields()) {
            body.append("  ").append(field.getJsonName()).append(": ").append(outputFieldType(field)).append('\n');
        }
        if (type.getFields().isEmpty()) {
            body.append("  _empty: Boolean\n");
        }
        outputs.put(name, body.append("}\n").toString());
        return name;
    }

    private String outputFieldType(FieldDescriptor field) {
        if (field.isMapField()) {
            return "[" + mapEntry(field, false) + "!]!";
        }
        String single = single(field, false);
        if (field.isRepeated()) {
            return "[" + single + "!]!";
        }
        boolean implicit = !field.hasPresence();
        return implicit && !single.startsWith("[") ? single + "!" : single;
    }

    private String inputFieldType(FieldDescriptor field, boolean required) {
        if (field.isMapField()) {
            return "[" + mapEntry(field, true) + "!]";
        }
        String single = single(field, true);
        if (field.isRepeated()) {
            return "[" + single + "!]" + (required ? "!" : "");
        }
        if (required) {
            return single + "!";
        }
        String defaultValue = field.hasPresence() ? null : defaultLiteral(field);
        return defaultValue == null ? single : single + " = " + defaultValue;
    }

    private String single(FieldDescriptor field, boolean input) {
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> "Int";
            case INT64, SINT64, SFIXED64, UINT64, FIXED64, UINT32, FIXED32 -> scalar("Long");
            case FLOAT, DOUBLE -> "Float";
            case BOOL -> "Boolean";
            case STRING -> "String";
            case BYTES -> scalar("Base64");
            case ENUM -> enumType(field.getEnumType());
            case MESSAGE, GROUP -> message(field.getMessageType(), input);
        };
    }

    private String message(Descriptor type, boolean input) {
        return switch (type.getFullName()) {
            case "google.protobuf.Timestamp" -> scalar("DateTime");
            case "google.protobuf.Duration" -> scalar("Duration");
            case "google.protobuf.FieldMask" -> "[String!]";
            case "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue", "google.protobuf.Any" ->
                    scalar("JSON");
            case "google.protobuf.Empty" -> scalar("JSON");
            case "google.protobuf.StringValue" -> "String";
            case "google.protobuf.BoolValue" -> "Boolean";
            case "google.protobuf.Int32Value" -> "Int";
            case "google.protobuf.DoubleValue", "google.protobuf.FloatValue" -> "Float";
            case "google.protobuf.Int64Value", "google.protobuf.UInt64Value", "google.protobuf.UInt32Value" -> scalar("Long");
            case "google.protobuf.BytesValue" -> scalar("Base64");
            default -> input ? inputType(type) : outputType(type);
        };
    }

    private String inputType(Descriptor type) {
        String name = typeName(type, "Input");
        if (inputs.containsKey(name)) {
            return name;
        }
        inputs.put(name, "");
        StringBuilder body = new StringBuilder("input ").append(name).append(" {\n");
        Set<OneofDescriptor> oneofs = new LinkedHashSet<>();
        for (FieldDescriptor field : type.getFields()) {
            if (field.getRealContainingOneof() != null) {
                oneofs.add(field.getRealContainingOneof());
                continue;
            }
            body.append("  ").append(field.getJsonName()).append(": ").append(inputFieldType(field, false)).append('\n');
        }
        for (OneofDescriptor oneof : oneofs) {
            body.append("  ").append(lowerCamel(oneof.getName())).append(": ").append(oneofInput(oneof)).append('\n');
        }
        if (type.getFields().isEmpty()) {
            body.append("  _empty: Boolean\n");
        }
        inputs.put(name, body.append("}\n").toString());
        return name;
    }

    /** A {@code oneof} as a {@code @oneOf} input: exactly one member set, as proto allows. */
    private String oneofInput(OneofDescriptor oneof) {
        String name = typeName(oneof.getContainingType(), upperCamel(oneof.getName()) + "Input");
        if (inputs.containsKey(name)) {
            return name;
        }
        inputs.put(name, "");
        StringBuilder body = new StringBuilder("input ").append(name).append(" @oneOf {\n");
        for (FieldDescriptor field : oneof.getFields()) {
            body.append("  ").append(field.getJsonName()).append(": ").append(single(field, true)).append('\n');
        }
        inputs.put(name, body.append("}\n").toString());
        return name;
    }

    private String mapEntry(FieldDescriptor field, boolean input) {
        Descriptor entry = field.getMessageType();
        String name = typeName(field.getContainingType(), upperCamel(field.getName()) + "Entry" + (input ? "Input" : ""));
        Map<String, String> target = input ? inputs : outputs;
        if (!target.containsKey(name)) {
            FieldDescriptor value = entry.findFieldByName("value");
            String valueType = single(value, input);
            if (!input && value.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                valueType += "!";
            }
            target.put(name, (input ? "input " : "type ") + name + " {\n  key: " + single(entry.findFieldByName("key"), input)
                    + "!\n  value: " + valueType + "\n}\n");
        }
        return name;
    }

    private String enumType(EnumDescriptor type) {
        String name = typeName(type.getFullName(), type.getName(), "");
        if (!enums.containsKey(name)) {
            StringBuilder body = new StringBuilder("enum ").append(name).append(" {\n");
            for (EnumValueDescriptor value : type.getValues()) {
                body.append("  ").append(value.getName()).append('\n');
            }
            enums.put(name, body.append("}\n").toString());
        }
        return name;
    }

    private String typeName(Descriptor type, String suffix) {
        return typeName(type.getFullName(), type.getName(), suffix);
    }

    /** The simple name; a second proto type with the same simple name gets its package in front. */
    private String typeName(String fullName, String simpleName, String suffix) {
        String known = typeNames.get(fullName);
        if (known == null) {
            known = typeNames.containsValue(simpleName) ? qualified(fullName) : simpleName;
            typeNames.put(fullName, known);
        }
        return known + suffix;
    }

    private static String qualified(String fullName) {
        StringBuilder out = new StringBuilder();
        for (String part : fullName.split("\\.")) {
            out.append(upperCamel(part));
        }
        return out.toString();
    }

    private String scalar(String name) {
        scalars.add(name);
        return name;
    }

    private static String scalarDefinition(String name) {
        return switch (name) {
            case "Long" -> "\"64-bit (and unsigned 32-bit) integer as a decimal string, as proto3 JSON prints it\"\nscalar Long\n";
            case "Base64" -> "\"bytes as standard Base64 with padding\"\nscalar Base64\n";
            case "DateTime" -> "\"RFC 3339 timestamp (google.protobuf.Timestamp)\"\nscalar DateTime\n";
            case "Duration" -> "\"seconds with up to 9 fractional digits and an 's' suffix, e.g. \\\"1.5s\\\"\"\nscalar Duration\n";
            default -> "\"any JSON value (google.protobuf.Struct, Value, ListValue, Any)\"\nscalar JSON\n";
        };
    }

    private static String defaultLiteral(FieldDescriptor field) {
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> "0";
            case INT64, SINT64, SFIXED64, UINT64, FIXED64, UINT32, FIXED32 -> "\"0\"";
            case FLOAT, DOUBLE -> "0.0";
            case BOOL -> "false";
            case STRING, BYTES -> "\"\"";
            case ENUM -> field.getEnumType().getValues().getFirst().getName();
            case MESSAGE, GROUP -> null;
        };
    }

    private void appendRoot(StringBuilder sdl, String name, Map<String, String> fields) {
        if (fields.isEmpty()) {
            return;
        }
        sdl.append("type ").append(name).append(" {\n");
        fields.values().forEach(sdl::append);
        sdl.append("}\n\n");
    }

    static String lowerCamel(String name) {
        String camel = upperCamel(name);
        return camel.isEmpty() ? camel : Character.toLowerCase(camel.charAt(0)) + camel.substring(1);
    }

    static String upperCamel(String name) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

}
