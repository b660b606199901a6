package io.atrium.router.connector.grpc;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.atrium.policy.resilience.AttemptOutcome;
import io.atrium.router.connector.Attempted;
import io.atrium.router.connector.BackendFailure;
import io.atrium.router.connector.BackendCalls;
import io.atrium.router.connector.CallContext;
import io.atrium.router.connector.CallSite;
import io.atrium.router.connector.ConnectorErrorCodes;
import io.atrium.router.connector.ConnectorException;
import io.atrium.router.connector.EntityBatching;
import io.atrium.router.connector.EntityCall;
import io.atrium.router.connector.EntityResolver;
import io.atrium.router.connector.FieldResolver;
import io.atrium.router.transcode.ProtoSchema;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The run-time half of a proto-first gRPC subgraph: resolvers for the bindings the generator produced, calling the
 * backend with dynamic messages. GraphQL arguments are proto3 JSON already (the generated schema keeps JSON names,
 * 64-bit integers as strings, enums by name); answers are printed with every implicit-presence field, so non-null
 * fields get their defaults. Calls go through the connector runtime's {@link BackendCalls} (deadline = what is left of
 * the fetch, retries only for Query fields, circuit breaker, metrics) with the allowed client headers as metadata.
 * A gRPC error becomes a GraphQL error with {@code extensions {code, grpcStatus, details}}.
 */
public final class GrpcResolvers {
    private static final Gson GSON = new Gson();

    private final String subgraph;
    private final GrpcUnaryClient client;
    private final BackendCalls calls;
    /** The client headers passed on as metadata (lower-case names). */
    private final List<String> metadata;
    private final ProtoValues values = new ProtoValues();
    private final Map<String, CallSite> sites = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each method's HTTP/2 path ({@code /package.Service/Method}). */
    private final Map<MethodDescriptor, String> paths = new java.util.concurrent.ConcurrentHashMap<>();
    private final JsonFormat.Parser parser;
    private final JsonFormat.Printer printer;
    private final Map<String, FieldResolver> fields = new LinkedHashMap<>();
    private final Map<String, EntityResolver> entities = new LinkedHashMap<>();

    public GrpcResolvers(String subgraph, ProtoSchema schema, GrpcSubgraphGenerator.Bindings bindings,
                         GrpcUnaryClient client, BackendCalls calls, List<String> metadata, int entityConcurrency) {
        this.subgraph = subgraph;
        this.client = client;
        this.calls = calls;
        this.metadata = metadata.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.parser = JsonFormat.parser().usingTypeRegistry(schema.types());
        this.printer = JsonFormat.printer().usingTypeRegistry(schema.types()).alwaysPrintFieldsWithNoPresence()
                .omittingInsignificantWhitespace();
        for (GrpcSubgraphGenerator.RootBinding root : bindings.roots()) {
            boolean safe = root.typeName().equals("Query");
            fields.put(root.typeName() + "." + root.field(), call -> invoke(root.method(), call.arguments(), safe,
                    call.context(), root.typeName() + "." + root.field()));
        }
        Map<String, List<Batch>> batched = new LinkedHashMap<>();
        for (GrpcSubgraphGenerator.EntityFieldBinding binding : bindings.entityFields()) {
            String coordinate = binding.typeName() + "." + binding.field();
            if (binding.batched()) {
                Batch batch = Batch.of(binding);
                batched.computeIfAbsent(binding.typeName(), t -> new ArrayList<>()).add(batch);
                fields.put(coordinate, call -> call.parent().containsKey(binding.field())
                        ? CompletableFuture.completedFuture(call.parent().get(binding.field()))
                        : batch(batch, java.util.Collections.singletonList(call.parent().get(binding.key())), call.context())
                                .thenApply(found -> found.get(keyText(call.parent().get(binding.key())))));
                continue;
            }
            fields.put(coordinate, call -> invoke(binding.method(),
                    Map.of(jsonName(binding.method().getInputType(), binding.keyField()), call.parent().get(binding.key())),
                    true, call.context(), coordinate).thenApply(response -> {
                        Object value = response;
                        return binding.result() == null ? value
                                : ((Map<?, ?>) value).get(binding.method().getOutputType().findFieldByName(binding.result()).getJsonName());
                    }));
        }
        for (GrpcSubgraphGenerator.EntityLookup lookup : bindings.lookups()) {
            entities.put(lookup.typeName(), new EntityResolver() {
                @Override
                public EntityBatching batching() {
                    return EntityBatching.single(entityConcurrency);
                }

                @Override
                public CompletionStage<List<Object>> resolve(EntityCall call) {
                    Object key = call.representations().getFirst().get(lookup.key());
                    return invoke(lookup.method(), Map.of(jsonName(lookup.method().getInputType(), lookup.keyField()), key),
                            true, call.context(), lookup.typeName()).thenApply(List::of);
                }
            });
        }
        batched.forEach((type, list) -> entities.put(type, new BatchedEntityFields(list, entityConcurrency)));
    }

    /**
     * The batched fields of an entity owned elsewhere, answered for a whole chunk of representations at once: one call
     * per field and chunk, answers matched back by their match field. Every representation gets an object (a field
     * without an answer is null, not an error: the entity exists in its own subgraph, it only lacks this value), so
     * the runtime matches by position. All batched fields of the type are fetched with the entity, selected or not.
     */
    private final class BatchedEntityFields implements EntityResolver {
        private final List<Batch> batches;
        private final EntityBatching batching;

        BatchedEntityFields(List<Batch> batches, int concurrency) {
            this.batches = List.copyOf(batches);
            int maxSize = batches.stream().mapToInt(batch -> batch.binding().maxBatch()).min().orElse(1);
            this.batching = EntityBatching.byPosition(maxSize, concurrency);
        }

        @Override
        public EntityBatching batching() {
            return batching;
        }

        @Override
        public CompletionStage<List<Object>> resolve(EntityCall call) {
            List<CompletableFuture<Map<String, Object>>> answers = new ArrayList<>(batches.size());
            for (Batch batch : batches) {
                java.util.Set<Object> keys = new java.util.LinkedHashSet<>();
                for (Map<String, Object> representation : call.representations()) {
                    keys.add(representation.get(batch.binding().key()));
                }
                answers.add(batch(batch, new ArrayList<>(keys), call.context()).toCompletableFuture());
            }
            // one batched field (the common case): mapped as its answer arrives, without an allOf stage
            CompletableFuture<?> all = answers.size() == 1 ? answers.getFirst()
                    : CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
            return all.thenApply(ignored -> {
                List<Map<String, Object>> byKey = new ArrayList<>(answers.size());
                for (CompletableFuture<Map<String, Object>> answer : answers) {
                    byKey.add(answer.join());
                }
                // the fields only: the runtime reads each entity over its representation (which keeps the key)
                List<Object> entities = new ArrayList<>(call.representations().size());
                for (Map<String, Object> representation : call.representations()) {
                    Map<String, Object> entity = LinkedHashMap.newLinkedHashMap(batches.size());
                    for (int i = 0; i < batches.size(); i++) {
                        GrpcSubgraphGenerator.EntityFieldBinding binding = batches.get(i).binding();
                        entity.put(binding.field(), byKey.get(i).get(keyText(representation.get(binding.key()))));
                    }
                    entities.add(entity);
                }
                return entities;
            });
        }
    }

    /** A batched field's descriptors, looked up once (three name lookups per call before). */
    private record Batch(GrpcSubgraphGenerator.EntityFieldBinding binding, FieldDescriptor keyField, String keyJson,
                         String resultJson, String match, String coordinate) {
        static Batch of(GrpcSubgraphGenerator.EntityFieldBinding binding) {
            FieldDescriptor keyField = binding.method().getInputType().findFieldByName(binding.keyField());
            FieldDescriptor result = binding.method().getOutputType().findFieldByName(binding.result());
            return new Batch(binding, keyField, keyField.getJsonName(), result.getJsonName(),
                    result.getMessageType().findFieldByName(binding.matchField()).getJsonName(),
                    binding.typeName() + "." + binding.field());
        }
    }

    /** One call of a batched field for these keys: key (as text) → the first answer carrying it, as GraphQL JSON. */
    private CompletionStage<Map<String, Object>> batch(Batch batch, List<Object> keys, CallContext context) {
        GrpcSubgraphGenerator.EntityFieldBinding binding = batch.binding();
        boolean text = batch.keyField().getJavaType() == FieldDescriptor.JavaType.STRING;
        List<Object> values = new ArrayList<>(keys.size());
        for (Object key : keys) {
            if (key != null) {
                values.add(text ? keyText(key) : key);
            }
        }
        if (values.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        String match = batch.match();
        return invoke(binding.method(), Map.of(batch.keyJson(), values), true, context, batch.coordinate(), response -> {
                    Map<String, Object> byKey = new LinkedHashMap<>();
                    Object answers = ((Map<?, ?>) response).get(batch.resultJson());
                    if (binding.many()) { // one-to-many: every answer of a key, and an empty list for a key without one
                        for (Object key : values) {
                            byKey.putIfAbsent(keyText(key), new ArrayList<>());
                        }
                    }
                    if (answers instanceof List<?> list) {
                        for (Object answer : list) {
                            if (answer instanceof Map<?, ?> object) {
                                if (binding.many()) {
                                    @SuppressWarnings("unchecked")
                                    List<Object> ofKey = (List<Object>) byKey.computeIfAbsent(keyText(object.get(match)),
                                            k -> new ArrayList<>());
                                    ofKey.add(answer);
                                } else {
                                    byKey.putIfAbsent(keyText(object.get(match)), answer);
                                }
                            }
                        }
                    }
                    return byKey;
                });
    }

    /** Keys compared as text: an id may be 7 in one place and "7" in another (proto3 JSON prints 64-bit ids as text). */
    private static String keyText(Object key) {
        return String.valueOf(key);
    }

    public Map<String, FieldResolver> fields() {
        return Map.copyOf(fields);
    }

    public Map<String, EntityResolver> entities() {
        return Map.copyOf(entities);
    }

    private static String jsonName(Descriptor type, String protoName) {
        return type.findFieldByName(protoName).getJsonName();
    }

    /** One call of {@code method}: its answer as GraphQL values ({@link #toGraphQL}). */
    private CompletionStage<Object> invoke(MethodDescriptor method, Map<String, Object> arguments, boolean safe,
                                                   CallContext context, String coordinate) {
        return invoke(method, arguments, safe, context, coordinate, java.util.function.Function.identity());
    }

    /** {@link #invoke} with {@code then} applied to the answer in the same stage (one future fewer per call). */
    private <T> CompletionStage<T> invoke(MethodDescriptor method, Map<String, Object> arguments, boolean safe,
                                          CallContext context, String coordinate, java.util.function.Function<Object, T> then) {
        byte[] request;
        try {
            request = request(method.getInputType(), arguments);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return CompletableFuture.failedFuture(ConnectorException.of("BAD_USER_INPUT",
                    "the arguments do not fit " + method.getInputType().getFullName() + ": " + e.getMessage()));
        }
        CallSite site = sites.computeIfAbsent(coordinate, c -> new CallSite(subgraph, "grpc", subgraph + ":" + c + "@grpc"));
        String path = paths.computeIfAbsent(method, m -> "/" + m.getService().getFullName() + "/" + m.getName());
        List<Map.Entry<String, String>> headers = new ArrayList<>(metadata.size() + 2);
        for (String name : metadata) {
            String value = context.headers().get(name);
            if (value != null) {
                headers.add(Map.entry(name, value));
            }
        }
        java.util.function.BiConsumer<String, String> traceHeaders = context.spans() == null ? null
                : (name, value) -> headers.add(Map.entry(name.toLowerCase(Locale.ROOT), value));
        return calls.<Object>call(site, safe, context, traceHeaders, timeout -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            // started and answered on the router event loop that called (GrpcUnaryClient): the mapping, merging and
            // the next fetches run where the answer arrives, as after a subgraph fetch
            return client.call(path, request, headers, Math.max(1, timeout.toNanos())).thenApply(reply -> {
                if (reply.status() == GrpcUnaryClient.OK) {
                    Descriptor type = method.getOutputType();
                    // plain types straight from the wire bytes to GraphQL values; the rest parsed, then converted
                    Map<String, Object> direct = type.getFullName().equals("google.protobuf.Empty") ? null
                            : values.fromWire(type, reply.body());
                    if (direct != null) {
                        return Attempted.<Object>of(200, direct);
                    }
                    try {
                        return Attempted.<Object>of(200, DynamicMessage.parseFrom(type, reply.body()));
                    } catch (InvalidProtocolBufferException e) {
                        return Attempted.<Object>of(502, error(GrpcUnaryClient.INTERNAL,
                                "the answer does not parse as " + method.getOutputType().getFullName(), null));
                    }
                }
                if (reply.status() == GrpcUnaryClient.DEADLINE_EXCEEDED && System.nanoTime() - deadline > -1_000_000) {
                    // the attempt's own deadline (the timeout it was given) passed: a per-try timeout
                    throw new java.util.concurrent.CompletionException(
                            new BackendFailure(AttemptOutcome.Failure.PER_TRY_TIMEOUT, "timed out"));
                }
                int http = reply.status() == GrpcUnaryClient.UNAVAILABLE ? 503
                        : reply.status() == GrpcUnaryClient.DEADLINE_EXCEEDED ? 504 : 400;
                return Attempted.<Object>of(http, error(reply.status(), reply.message(), reply.details()));
            });
        }).thenApply(attempted -> {
            if (attempted.value() instanceof ConnectorException error) {
                throw error;
            }
            return then.apply(attempted.value() instanceof DynamicMessage message ? toGraphQL(message) : attempted.value());
        });
    }

    /** The request message's bytes: written directly when the arguments are plain, else through proto3 JSON. */
    private byte[] request(Descriptor type, Map<String, Object> arguments) throws InvalidProtocolBufferException {
        byte[] plain = ProtoArguments.encodeArguments(type, arguments);
        if (plain != null) {
            return plain;
        }
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        parser.merge(GSON.toJson(toProtoJson(type, arguments)), builder);
        return builder.build().toByteArray();
    }

    /**
     * {@code google.rpc.Status} → extensions {code, grpcStatus, details} (details decoded as proto3 JSON).
     *
     * @param details {@code grpc-status-details-bin}: a serialized {@code google.rpc.Status}, or null
     */
    private ConnectorException error(int code, String description, byte[] details) {
        Status.Code status = Status.fromCodeValue(code).getCode();
        List<Object> decoded = new ArrayList<>();
        if (details != null) {
            try {
                for (Any detail : com.google.rpc.Status.parseFrom(details).getDetailsList()) {
                    try {
                        decoded.add(GSON.fromJson(printer.print(detail), Object.class));
                    } catch (InvalidProtocolBufferException e) {
                        decoded.add(Map.of("@type", detail.getTypeUrl()));
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                // unreadable details: the status and message still say what failed
            }
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", status.name());
        extensions.put("grpcStatus", status.value());
        extensions.put("details", decoded);
        String message = description != null ? description : status.name();
        return new ConnectorException(message, extensions);
    }

    /** GraphQL input → proto3 JSON: map entry lists become objects, FieldMask lists a comma list, oneof inputs flat. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> toProtoJson(Descriptor type, Map<String, Object> input) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : input.entrySet()) {
            FieldDescriptor field = ProtoValues.byJsonName(type, entry.getKey());
            Object value = entry.getValue();
            if (field == null) {
                if (value instanceof Map<?, ?> oneof) {       // a @oneOf input named after the oneof: flatten
                    out.putAll(toProtoJson(type, (Map<String, Object>) oneof));
                    continue;
                }
                out.put(entry.getKey(), value);             // JsonFormat refuses it with the field's name
                continue;
            }
            out.put(entry.getKey(), convertIn(field, value));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object convertIn(FieldDescriptor field, Object value) {
        if (value == null) {
            return null;
        }
        if (field.isMapField() && value instanceof List<?> entries) {
            Map<String, Object> object = new LinkedHashMap<>();
            FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
            for (Object item : entries) {
                Map<String, Object> e = (Map<String, Object>) item;
                object.put(String.valueOf(e.get("key")), convertIn(valueField, e.get("value")));
            }
            return object;
        }
        if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return value;
        }
        String name = field.getMessageType().getFullName();
        if (name.equals("google.protobuf.FieldMask") && value instanceof List<?> paths) {
            return String.join(",", paths.stream().map(String::valueOf).toList());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> item instanceof Map<?, ?> m
                    ? toProtoJson(field.getMessageType(), (Map<String, Object>) m) : item).toList();
        }
        if (value instanceof Map<?, ?> map && !name.startsWith("google.protobuf.")) {
            return toProtoJson(field.getMessageType(), (Map<String, Object>) map);
        }
        return value;
    }


    /** proto3 JSON → the generated GraphQL shape (map objects → entry lists, FieldMask → list, Empty → true). */
    private Object toGraphQL(DynamicMessage message) {
        if (message.getDescriptorForType().getFullName().equals("google.protobuf.Empty")) {
            return Boolean.TRUE;
        }
        Map<String, Object> plain = values.toGraphQL(message);
        if (plain != null) {
            return plain;
        }
        return viaJson(printer, message);
    }

    /** The JSON route of {@link #toGraphQL}: printed as proto3 JSON, read with Gson, converted (any message type). */
    static Object viaJson(JsonFormat.Printer printer, DynamicMessage message) {
        try {
            JsonElement json = com.google.gson.JsonParser.parseString(printer.print(message));
            return convertOut(message.getDescriptorForType(), GSON.fromJson(json, Object.class));
        } catch (InvalidProtocolBufferException e) {
            throw ConnectorException.of(ConnectorErrorCodes.CONNECTOR_RESPONSE_INVALID, "the answer cannot be printed: "
                    + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Object convertOut(Descriptor type, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return value;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldDescriptor field : type.getFields()) {
            Object item = map.get(field.getJsonName());
            if (!map.containsKey(field.getJsonName())) {
                continue;
            }
            out.put(field.getJsonName(), convertFieldOut(field, item));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object convertFieldOut(FieldDescriptor field, Object value) {
        if (value == null) {
            return null;
        }
        if (field.isMapField()) {
            List<Object> entries = new ArrayList<>();
            FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
            ((Map<String, Object>) value).forEach((k, v) -> entries.add(Map.of("key", k, "value",
                    convertFieldOut(valueField, v))));
            return entries;
        }
        if (field.isRepeated() && value instanceof List<?> list) {
            return list.stream().map(item -> convertSingleOut(field, item)).toList();
        }
        return convertSingleOut(field, value);
    }

    private static Object convertSingleOut(FieldDescriptor field, Object value) {
        if (value == null) {
            return null;
        }
        if (field.getJavaType() == FieldDescriptor.JavaType.INT && value instanceof Double d) {
            return switch (field.getType()) {
                case UINT32, FIXED32 -> String.valueOf(d.longValue());   // Long scalar: a string
                default -> d.intValue();
            };
        }
        if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return value;
        }
        String name = field.getMessageType().getFullName();
        if (name.equals("google.protobuf.FieldMask") && value instanceof String paths) {
            return paths.isEmpty() ? List.of() : List.of(paths.split(","));
        }
        if (name.equals("google.protobuf.Int32Value") && value instanceof Double d) {
            return d.intValue();
        }
        if (name.startsWith("google.protobuf.")) {
            return value;
        }
        return convertOut(field.getMessageType(), value);
    }
}
