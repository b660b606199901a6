package io.atrium.router.connector.rest.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * OpenAPI 3.0/3.1 → a reviewable Apollo Connectors subgraph SDL ({@code @source} + one {@code @connect} per
 * operation). GET operations become Query fields, the others Mutation fields ({@code x-atrium-root: Query|Mutation}
 * overrides); component schemas become object types ({@code allOf} merged, {@code oneOf}/{@code anyOf} with a
 * discriminator become unions whose selection derives {@code __typename}); JSON request bodies become one
 * {@code input} argument; path ({@code simple}, {@code label}, {@code matrix}), query ({@code form}, exploded or not)
 * and header parameters become arguments. Non-2xx answers become GraphQL errors carrying the problem document's
 * fields ({@code extensions.code} from the status).
 *
 * <p>Federation: {@code x-atrium-key: "id"} on a component schema makes it an entity, resolved by the GET operation
 * whose path parameters are its key ({@code entity: true}); OpenAPI {@code links} from a response of the schema to
 * the GET answering it give the same, their body properties as the key ({@link OpenApiLinks}); {@code x-atrium-field: {type, key, field, arguments}} on
 * a GET operation adds it as a field of another subgraph's entity (arguments from the entity's key fields, as
 * {@code $this}: one call per entity); {@code x-atrium-ref: {type, key, field}} on a property adds a reference to
 * another subgraph's entity next to it ({@code product: Product} from {@code upc}).
 *
 * <p>Batched entity fields: {@code x-atrium-field: {type, key, field, arguments: {ids: id}, batch: {key: userId,
 * value: orders}}} on a GET operation that takes many keys (an array parameter, form style) and answers an array of
 * objects, each naming its key ({@code batch.key}) and holding the field's value ({@code batch.value}), becomes a
 * connector on the entity type reading {@code $batch} (connect spec v0.2): one call for a whole batch of entities,
 * answers matched back by key, {@code batch.maxSize} from the parameter's {@code maxItems}. Such an operation is not a
 * root field (unless {@code x-atrium-root} says so), and it replaces a one-call-per-entity {@code x-atrium-field} of
 * the same entity field.
 */
public final class OpenApiGenerator {

    /** @param sourceName the {@code @source} name; @param baseUrl null = the document's first server */
    public record Options(String sourceName, String baseUrl) {
        public static final Options DEFAULTS = new Options("api", null);
    }

    private final OpenAPI api;
    private final Options options;
    private final Map<String, String> objectTypes = new LinkedHashMap<>();
    private final Map<String, String> inputTypes = new LinkedHashMap<>();
    private final Map<String, String> unions = new LinkedHashMap<>();
    /** Entity types of other subgraphs this one references or extends: name → body lines. */
    private final Map<String, StubEntity> stubs = new LinkedHashMap<>();
    private final List<String> queryFields = new ArrayList<>();
    private final List<String> mutationFields = new ArrayList<>();
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final OpenApiLinks links;
    private boolean usesJson;

    private static final class StubEntity {
        final String key;
        final String keyType;
        boolean resolvable;
        /** Field name → its definition. */
        final Map<String, String> fields = new LinkedHashMap<>();
        /** The {@code @connect} on the type ({@code $batch}), or null. */
        String batchConnect;
        final Set<String> batchedFields = new LinkedHashSet<>();

        StubEntity(String key, String keyType) {
            this.key = key;
            this.keyType = keyType;
        }
    }

    private OpenApiGenerator(OpenAPI api, Options options) {
        this.api = api;
        this.options = options;
        this.links = OpenApiLinks.read(api);
    }

    public static String generate(OpenAPI api, Options options) {
        return new OpenApiGenerator(api, options).run();
    }

    private String run() {
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            api.getComponents().getSchemas().forEach((name, schema) -> {
                if (schema.getExtensions() != null && schema.getExtensions().get("x-atrium-key") instanceof String key) {
                    keys.put(typeName(name), key);
                }
            });
        }
        // links: an explicit x-atrium-key wins over the key a link implies
        links.keys.forEach((schema, key) -> keys.putIfAbsent(typeName(schema), key));
        if (api.getPaths() != null) {
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> operation(path, method, op)));
        }
        return print();
    }

    // ------------------------------------------------------------------ operations

    private void operation(String path, PathItem.HttpMethod method, Operation op) {
        String name = fieldName(op.getOperationId() != null ? op.getOperationId() : method.name().toLowerCase(Locale.ROOT) + " " + path);
        Object root = op.getExtensions() == null ? null : op.getExtensions().get("x-atrium-root");
        Map<?, ?> extension = op.getExtensions() != null && op.getExtensions().get("x-atrium-field") instanceof Map<?, ?> m
                ? m : null;
        if (extension != null && extension.get("batch") instanceof Map<?, ?> batch) {
            entityBatch(extension, batch, path, method, op, name);
            if (root == null) {
                return;
            }
            extension = null;
        }
        boolean query = root != null ? "Query".equals(root) : method == PathItem.HttpMethod.GET;
        List<String> args = new ArrayList<>();
        List<String> queryParams = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        List<String> pathParams = new ArrayList<>();
        String url = path;
        Schema<?> response = successSchema(op);
        String named = response != null && response.get$ref() != null ? typeName(refName(response.get$ref())) : null;
        List<String> keyFields = named != null && keys.containsKey(named) ? List.of(keys.get(named).split("\\s+")) : List.of();
        // the lookup a link names takes the key under the key's name ({orderId} ← id): entity: true matches by name
        Map<String, String> linked = links.lookups.containsKey(op) && keyFields.containsAll(links.lookups.get(op).values())
                ? links.lookups.get(op) : Map.of();
        Set<String> pathKeys = new LinkedHashSet<>();
        for (Parameter parameter : parameters(op)) {
            String keyName = linked.getOrDefault(parameter.getName(), parameter.getName());
            String arg = fieldName(keyName);
            // a path parameter that is the response entity's key is typed like the key (entity: true needs that)
            String scalar = "path".equals(parameter.getIn()) && keyFields.contains(keyName)
                    && "String".equals(inputType(parameter.getSchema(), arg)) ? "ID" : inputType(parameter.getSchema(), arg);
            String type = scalar + (Boolean.TRUE.equals(parameter.getRequired()) ? "!" : "");
            args.add(arg + ": " + type);
            String value = "$args." + arg;
            switch (parameter.getIn()) {
                case "path" -> {
                    pathParams.add(parameter.getName());
                    pathKeys.add(keyName);
                    String style = parameter.getStyle() == null ? "simple" : parameter.getStyle().toString();
                    String expanded = switch (style) {
                        case "label" -> ".{" + value + "}";
                        case "matrix" -> ";" + parameter.getName() + "={" + value + "}";
                        default -> "{" + value + "}";
                    };
                    url = url.replace("{" + parameter.getName() + "}", expanded);
                }
                case "query" -> {
                    boolean explode = parameter.getExplode() == null || parameter.getExplode();
                    boolean list = isArray(parameter.getSchema());
                    queryParams.add(quoteKey(parameter.getName()) + ": " + value
                            + (list && !explode ? "->joinNotNull(',')" : ""));
                }
                case "header" -> headers.add("{ name: \"" + parameter.getName().toLowerCase(Locale.ROOT) + "\", value: \"{" + value + "}\" }");
                default -> { }
            }
        }
        String body = null;
        Schema<?> bodySchema = jsonSchema(op.getRequestBody() == null ? null : op.getRequestBody().getContent());
        if (bodySchema != null) {
            String inputName = bodySchema.get$ref() != null ? refName(bodySchema.get$ref()) : typeName(name);
            boolean required = op.getRequestBody().getRequired() == null || op.getRequestBody().getRequired();
            args.add("input: " + inputType(bodySchema, inputName) + (required ? "!" : ""));
            body = "$args.input " + inputSelection(bodySchema, new LinkedHashSet<>());
        }
        String returnType = response == null ? "Boolean" : outputType(response, typeName(name) + "Result");
        String selection = response == null ? "$(true)" : selection(response, new LinkedHashSet<>());
        StringBuilder http = new StringBuilder("{ ").append(method.name()).append(": \"").append(url).append("\"");
        if (!queryParams.isEmpty()) {
            http.append(", queryParams: \"").append(String.join(" ", queryParams)).append("\"");
        }
        if (!headers.isEmpty()) {
            http.append(", headers: [").append(String.join(", ", headers)).append("]");
        }
        if (body != null) {
            http.append(", body: \"\"\"").append(body).append("\"\"\"");
        }
        http.append(" }");
        boolean entity = query && !keyFields.isEmpty() && pathKeys.equals(new LinkedHashSet<>(keyFields));
        StringBuilder field = new StringBuilder();
        if (op.getSummary() != null || op.getDescription() != null) {
            field.append("  ").append(description(op.getSummary() != null ? op.getSummary() : op.getDescription())).append('\n');
        }
        field.append("  ").append(name).append(args.isEmpty() ? "" : "(" + String.join(", ", args) + ")").append(": ")
                .append(returnType).append("\n    @connect(\n      source: \"").append(options.sourceName())
                .append("\"\n      http: ").append(http).append("\n      selection: \"\"\"").append(selection).append("\"\"\"");
        if (entity) {
            field.append("\n      entity: true");
        }
        field.append("\n    )");
        (query ? queryFields : mutationFields).add(field.toString());
        if (extension != null) {
            entityField(extension, path, pathParams, op, returnType, selection);
        }
    }

    /**
     * {@code x-atrium-field} with {@code batch: {key, value}}: a {@code @connect} on the entity type whose request
     * carries every key of the batch ({@code $batch.<key>}) and whose selection maps each answer item to the entity
     * ({@code <key>: <batch.key>}, {@code <field>: <batch.value> {…}}).
     */
    private void entityBatch(Map<?, ?> extension, Map<?, ?> batch, String path, PathItem.HttpMethod method,
                             Operation op, String operation) {
        String type = (String) extension.get("type");
        String key = extension.get("key") instanceof String k ? k : "id";
        String field = fieldName((String) extension.get("field"));
        if (method != PathItem.HttpMethod.GET) {
            throw new IllegalArgumentException("x-atrium-field of " + operation + ": a batch needs a GET operation");
        }
        if (!(batch.get("key") instanceof String itemKey) || !(batch.get("value") instanceof String itemValue)) {
            throw new IllegalArgumentException("x-atrium-field of " + operation + ": batch needs key and value (the "
                    + "answer item's properties holding the entity key and the field's value)");
        }
        StubEntity stub = stubs.computeIfAbsent(type, t -> new StubEntity(key,
                extension.get("keyType") instanceof String kt ? kt : "ID!"));
        if (stub.batchConnect != null) {
            throw new IllegalArgumentException("x-atrium-field of " + operation + ": " + type
                    + " already has a batched connector (one per type)");
        }
        stub.resolvable = true;
        Map<?, ?> arguments = extension.get("arguments") instanceof Map<?, ?> m ? m : Map.of();
        String url = path;
        List<String> queryParams = new ArrayList<>();
        Integer maxSize = null;
        for (Parameter parameter : parameters(op)) {
            if (!(arguments.get(parameter.getName()) instanceof String keyField)) {
                continue;
            }
            Schema<?> schema = resolve(parameter.getSchema());
            if (schema == null || !"array".equals(kind(schema))) {
                throw new IllegalArgumentException("x-atrium-field of " + operation + ": batch parameter "
                        + parameter.getName() + " must be an array");
            }
            if (schema.getMaxItems() != null) {
                maxSize = maxSize == null ? schema.getMaxItems() : Math.min(maxSize, schema.getMaxItems());
            }
            String keys = "$batch." + keyField;
            if ("path".equals(parameter.getIn())) {
                url = url.replace("{" + parameter.getName() + "}", "{" + keys + "->joinNotNull(',')}");
            } else if ("query".equals(parameter.getIn())) {
                boolean explode = parameter.getExplode() == null || parameter.getExplode();
                queryParams.add(quoteKey(parameter.getName()) + ": " + keys + (explode ? "" : "->joinNotNull(',')"));
            }
        }
        if (queryParams.isEmpty() && url.equals(path)) {
            throw new IllegalArgumentException("x-atrium-field of " + operation + ": batch needs an argument that "
                    + "takes the keys (arguments: {param: keyField})");
        }
        Schema<?> response = resolve(successSchema(op));
        Map<String, Schema> properties = new LinkedHashMap<>();
        if (response != null && "array".equals(kind(response))) {
            merge(response.getItems(), properties, new LinkedHashSet<>());
        }
        Schema<?> valueSchema = properties.get(itemValue);
        if (!properties.containsKey(itemKey) || valueSchema == null) {
            throw new IllegalArgumentException("x-atrium-field of " + operation + ": the answer must be an array of "
                    + "objects with properties " + itemKey + " and " + itemValue);
        }
        String fieldType = outputType(valueSchema, typeName(type) + typeName(field));
        String sub = subSelection(valueSchema, new LinkedHashSet<>());
        String selection = (key.equals(itemKey) ? key : key + ": " + quoteKey(itemKey)) + " "
                + (field.equals(itemValue) ? field : field + ": " + quoteKey(itemValue)) + (sub == null ? "" : " { " + sub + " }");
        stub.batchConnect = "  @connect(\n    source: \"" + options.sourceName() + "\"\n    http: { GET: \"" + url + "\""
                + (queryParams.isEmpty() ? "" : ", queryParams: \"" + String.join(" ", queryParams) + "\"") + " }\n"
                + (maxSize == null ? "" : "    batch: { maxSize: " + maxSize + " }\n")
                + "    selection: \"\"\"" + selection + "\"\"\"\n  )";
        stub.batchedFields.add(field);
        stub.fields.put(field, "  " + field + ": " + fieldType);
    }

    /** {@code x-atrium-field: {type: User, key: id, keyType: "ID!", field: orders, arguments: {userId: id}}}. */
    private void entityField(Map<?, ?> extension, String path, List<String> pathParams, Operation op, String returnType,
                             String selection) {
        String type = (String) extension.get("type");
        String key = extension.get("key") instanceof String k ? k : "id";
        StubEntity stub = stubs.computeIfAbsent(type, t -> new StubEntity(key,
                extension.get("keyType") instanceof String kt ? kt : "ID!"));
        stub.resolvable = true;
        Map<?, ?> arguments = extension.get("arguments") instanceof Map<?, ?> m ? m : Map.of();
        String url = path;
        List<String> queryParams = new ArrayList<>();
        for (Parameter parameter : parameters(op)) {
            Object from = arguments.get(parameter.getName());
            if (!(from instanceof String keyField)) {
                continue;
            }
            if (pathParams.contains(parameter.getName())) {
                url = url.replace("{" + parameter.getName() + "}", "{$this." + keyField + "}");
            } else if ("query".equals(parameter.getIn())) {
                queryParams.add(quoteKey(parameter.getName()) + ": $this." + keyField);
            }
        }
        String field = fieldName((String) extension.get("field"));
        if (stub.batchedFields.contains(field)) {
            return; // the batched connector of the type answers it, for many entities at once
        }
        stub.fields.put(field, "  " + field + ": " + returnType
                + "\n    @connect(\n      source: \"" + options.sourceName() + "\"\n      http: { GET: \"" + url + "\""
                + (queryParams.isEmpty() ? "" : ", queryParams: \"" + String.join(" ", queryParams) + "\"")
                + " }\n      selection: \"\"\"" + selection + "\"\"\"\n    )");
    }

    private List<Parameter> parameters(Operation op) {
        List<Parameter> all = new ArrayList<>();
        if (op.getParameters() != null) {
            for (Parameter parameter : op.getParameters()) {
                all.add(parameter.get$ref() != null ? api.getComponents().getParameters().get(refName(parameter.get$ref())) : parameter);
            }
        }
        return all;
    }

    static Schema<?> jsonSchema(Map<String, MediaType> content) {
        if (content == null) {
            return null;
        }
        for (var entry : content.entrySet()) {
            if (entry.getKey().contains("json") && entry.getValue().getSchema() != null) {
                return entry.getValue().getSchema();
            }
        }
        return null;
    }

    static Schema<?> successSchema(Operation op) {
        if (op.getResponses() == null) {
            return null;
        }
        for (var entry : op.getResponses().entrySet()) {
            ApiResponse response = entry.getValue();
            if (entry.getKey().startsWith("2") && response.getContent() != null) {
                return jsonSchema(response.getContent());
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ types

    private Schema<?> resolve(Schema<?> schema) {
        if (schema != null && schema.get$ref() != null) {
            return api.getComponents().getSchemas().get(refName(schema.get$ref()));
        }
        return schema;
    }

    static String refName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static String kind(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        if (schema.getTypes() != null) {
            for (String type : schema.getTypes()) {
                if (!"null".equals(type)) {
                    return type;
                }
            }
        }
        return schema.getProperties() != null || schema.getAllOf() != null ? "object" : null;
    }

    private boolean isArray(Schema<?> schema) {
        Schema<?> resolved = resolve(schema);
        return resolved != null && "array".equals(kind(resolved));
    }

    private static String scalar(Schema<?> schema) {
        String kind = kind(schema);
        if (kind == null) {
            return null;
        }
        return switch (kind) {
            case "string" -> "String";
            case "integer" -> "Int";
            case "number" -> "Float";
            case "boolean" -> "Boolean";
            default -> null;
        };
    }

    /** The GraphQL output type of a schema (named types generated on the way). */
    private String outputType(Schema<?> schema, String nameIfInline) {
        if (schema.get$ref() != null) {
            String name = typeName(refName(schema.get$ref()));
            Schema<?> target = resolve(schema);
            if (scalar(target) != null && target.getProperties() == null) {
                return scalar(target);
            }
            if (!objectTypes.containsKey(name) && !unions.containsKey(name)) {
                objectTypes.put(name, "");
                defineOutput(name, target);
            }
            return name;
        }
        if (schema.getOneOf() != null || schema.getAnyOf() != null) {
            String name = typeName(nameIfInline);
            defineOutput(name, schema);
            return name;
        }
        String kind = kind(schema);
        if ("array".equals(kind)) {
            return "[" + outputType(schema.getItems(), nameIfInline + "Item") + "]";
        }
        if ("object".equals(kind)) {
            String name = typeName(nameIfInline);
            if (!objectTypes.containsKey(name)) {
                objectTypes.put(name, "");
                defineOutput(name, schema);
            }
            return name;
        }
        String scalar = scalar(schema);
        if (scalar == null) {
            usesJson = true;
            return "JSON";
        }
        return scalar;
    }

    private void defineOutput(String name, Schema<?> schema) {
        List<Schema> members = schema.getOneOf() != null ? schema.getOneOf() : schema.getAnyOf();
        if (members != null) {
            List<String> types = new ArrayList<>();
            for (Schema<?> member : members) {
                types.add(outputType(member, name + "Option" + (types.size() + 1)));
            }
            objectTypes.remove(name);
            unions.put(name, "union " + name + " = " + String.join(" | ", types));
            return;
        }
        Map<String, Schema> properties = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        merge(schema, properties, required);
        StringBuilder body = new StringBuilder();
        String key = keys.get(name);
        if (schema.getDescription() != null) {
            body.append(description(schema.getDescription())).append('\n');
        }
        body.append("type ").append(name).append(key != null ? " @key(fields: \"" + key + "\")" : "").append(" {\n");
        properties.forEach((property, propertySchema) -> {
            String type = outputType(propertySchema, name + typeName(property));
            boolean nonNull = required.contains(property) || (key != null && key.equals(property));
            body.append("  ").append(fieldName(property)).append(": ")
                    .append(key != null && key.equals(property) && "String".equals(type) ? "ID" : type)
                    .append(nonNull ? "!" : "").append('\n');
            if (propertySchema.getExtensions() != null && propertySchema.getExtensions().get("x-atrium-ref") instanceof Map<?, ?> ref) {
                String target = (String) ref.get("type");
                stubs.computeIfAbsent(target, t -> new StubEntity(ref.get("key") instanceof String k ? k : "id",
                        ref.get("keyType") instanceof String kt ? kt : "ID!"));
                body.append("  ").append(fieldName((String) ref.get("field"))).append(": ").append(target).append('\n');
            }
        });
        objectTypes.put(name, body.append("}").toString());
    }

    /** {@code allOf} parts merged (properties and required lists), references followed. */
    private void merge(Schema<?> schema, Map<String, Schema> properties, Set<String> required) {
        Schema<?> resolved = resolve(schema);
        if (resolved == null) {
            return;
        }
        if (resolved.getAllOf() != null) {
            for (Schema<?> part : resolved.getAllOf()) {
                merge(part, properties, required);
            }
        }
        if (resolved.getProperties() != null) {
            properties.putAll(resolved.getProperties());
        }
        if (resolved.getRequired() != null) {
            required.addAll(resolved.getRequired());
        }
    }

    private String inputType(Schema<?> schema, String nameIfInline) {
        if (schema == null) {
            return "String";
        }
        Schema<?> resolved = resolve(schema);
        String kind = kind(resolved);
        if ("array".equals(kind)) {
            return "[" + inputType(resolved.getItems(), nameIfInline + "Item") + "]";
        }
        if (!"object".equals(kind)) {
            String scalar = scalar(resolved);
            if (scalar == null) {
                usesJson = true;
                return "JSON";
            }
            return scalar;
        }
        String name = typeName(schema.get$ref() != null ? refName(schema.get$ref()) : nameIfInline) + "Input";
        if (inputTypes.containsKey(name)) {
            return name;
        }
        inputTypes.put(name, "");
        Map<String, Schema> properties = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        merge(resolved, properties, required);
        StringBuilder body = new StringBuilder("input ").append(name).append(" {\n");
        properties.forEach((property, propertySchema) -> body.append("  ").append(fieldName(property)).append(": ")
                .append(inputType(propertySchema, name.substring(0, name.length() - 5) + typeName(property)))
                .append(required.contains(property) ? "!" : "").append('\n'));
        inputTypes.put(name, body.append("}").toString());
        return name;
    }

    // ------------------------------------------------------------------ selections

    /** The JSONSelection mapping a response of this schema onto the generated type (cycles cut at the second visit). */
    private String selection(Schema<?> schema, Set<String> visiting) {
        Schema<?> resolved = resolve(schema);
        if (resolved == null) {
            return "";
        }
        String kind = kind(resolved);
        if ("array".equals(kind)) {
            return selection(resolved.getItems(), visiting);
        }
        List<Schema> members = resolved.getOneOf() != null ? resolved.getOneOf() : resolved.getAnyOf();
        if (members != null) {
            return unionSelection(resolved, members, visiting);
        }
        if (!"object".equals(kind)) {
            return "$";
        }
        String ref = schema.get$ref();
        if (ref != null && !visiting.add(ref)) {
            return null;
        }
        Map<String, Schema> properties = new LinkedHashMap<>();
        merge(resolved, properties, new LinkedHashSet<>());
        List<String> parts = new ArrayList<>();
        properties.forEach((property, propertySchema) -> {
            String field = fieldName(property);
            String head = field.equals(property) ? field : field + ": " + quoteKey(property);
            if (!composite(propertySchema, true)) {
                parts.add(head);
            } else {
                String sub = selection(propertySchema, visiting);
                if (sub != null) {
                    parts.add(head + " { " + sub + " }");
                }
            }
            if (propertySchema.getExtensions() != null && propertySchema.getExtensions().get("x-atrium-ref") instanceof Map<?, ?> x) {
                String key = x.get("key") instanceof String k ? k : "id";
                parts.add(fieldName((String) x.get("field")) + ": { " + key + ": " + quoteKey(property) + " }");
            }
        });
        if (ref != null) {
            visiting.remove(ref);
        }
        return String.join(" ", parts);
    }

    private boolean composite(Schema<?> schema) {
        Schema<?> resolved = resolve(schema);
        return resolved != null && ("object".equals(kind(resolved)) || resolved.getOneOf() != null || resolved.getAnyOf() != null);
    }

    /** An object, a {@code oneOf}, or (with {@code orListOf}) an array of composite items: selected with a sub-selection. */
    private boolean composite(Schema<?> schema, boolean orListOf) {
        Schema<?> target = resolve(schema);
        return target != null && ("object".equals(kind(target)) || target.getOneOf() != null
                || (orListOf && "array".equals(kind(target)) && target.getItems() != null && composite(target.getItems())));
    }

    /** The sub-selection of a composite property ({@code a b { c }}), null for a leaf or a cycle cut. */
    private String subSelection(Schema<?> schema, Set<String> visiting) {
        return composite(schema, true) ? selection(schema, visiting) : null;
    }

    private String unionSelection(Schema<?> union, List<Schema> members, Set<String> visiting) {
        Set<String> fields = new LinkedHashSet<>();
        List<String> cases = new ArrayList<>();
        String discriminator = union.getDiscriminator() == null ? null : union.getDiscriminator().getPropertyName();
        Map<String, String> mapping = union.getDiscriminator() == null || union.getDiscriminator().getMapping() == null
                ? Map.of() : union.getDiscriminator().getMapping();
        for (Schema<?> member : members) {
            String sub = selection(member, visiting);
            if (sub != null && !sub.isBlank()) {
                fields.add(sub);
            }
            if (member.get$ref() != null) {
                String memberName = refName(member.get$ref());
                String value = memberName;
                for (var entry : mapping.entrySet()) {
                    if (refName(entry.getValue()).equals(memberName)) {
                        value = entry.getKey();
                    }
                }
                cases.add("[\"" + value + "\", \"" + typeName(memberName) + "\"]");
            }
        }
        String typename = discriminator == null ? "" : "__typename: " + quoteKey(discriminator) + "->match("
                + String.join(", ", cases) + ") ";
        return typename + String.join(" ", fields);
    }

    private String inputSelection(Schema<?> schema, Set<String> visiting) {
        Schema<?> resolved = resolve(schema);
        if (resolved == null || !"object".equals(kind(resolved)) || (schema.get$ref() != null && !visiting.add(schema.get$ref()))) {
            return "";
        }
        Map<String, Schema> properties = new LinkedHashMap<>();
        merge(resolved, properties, new LinkedHashSet<>());
        List<String> parts = new ArrayList<>();
        properties.forEach((property, propertySchema) -> {
            String field = fieldName(property);
            String head = field.equals(property) ? field : quoteKey(property) + ": " + field;
            Schema<?> target = resolve(propertySchema);
            Schema<?> element = target != null && "array".equals(kind(target)) ? target.getItems() : propertySchema;
            String sub = composite(element) ? inputSelection(element, visiting) : "";
            parts.add(sub.isEmpty() ? head : head + " " + sub);
        });
        return "{ " + String.join(" ", parts) + " }";
    }

    // ------------------------------------------------------------------ printing

    private String print() {
        String baseUrl = options.baseUrl() != null ? options.baseUrl()
                : api.getServers() != null && !api.getServers().isEmpty() ? api.getServers().getFirst().getUrl() : "http://localhost";
        StringBuilder out = new StringBuilder();
        String title = api.getInfo() != null ? api.getInfo().getTitle() + " " + api.getInfo().getVersion() : "an OpenAPI document";
        out.append("# Generated by `atrium connector openapi` from ").append(title).append(". Review, then publish as a subgraph.\n");
        out.append("extend schema\n  @link(url: \"https://specs.apollo.dev/federation/v2.11\", import: [\"@key\"])\n")
                .append("  @link(url: \"https://specs.apollo.dev/connect/v0.2\", import: [\"@connect\", \"@source\"])\n")
                .append("  @source(\n    name: \"").append(options.sourceName()).append("\"\n    http: { baseURL: \"")
                .append(baseUrl).append("\" }\n")
                .append("    errors: {\n      message: \"$($.detail ?? $.title ?? \\\"Request failed\\\")\"\n")
                .append("      extensions: \"\"\"\n        code: $status->match([400, \"BAD_USER_INPUT\"], [422, \"BAD_USER_INPUT\"],")
                .append(" [401, \"UNAUTHENTICATED\"], [403, \"FORBIDDEN\"], [404, \"NOT_FOUND\"], [409, \"CONFLICT\"],")
                .append(" [\"CONNECTOR_FETCH\"])\n        type title status detail instance errors\n        \"\"\"\n    }\n  )\n");
        if (usesJson) {
            out.append("\nscalar JSON\n");
        }
        if (!queryFields.isEmpty()) {
            out.append("\ntype Query {\n").append(String.join("\n", queryFields)).append("\n}\n");
        }
        if (!mutationFields.isEmpty()) {
            out.append("\ntype Mutation {\n").append(String.join("\n", mutationFields)).append("\n}\n");
        }
        for (String type : objectTypes.values()) {
            out.append('\n').append(type).append('\n');
        }
        for (String union : unions.values()) {
            out.append('\n').append(union).append('\n');
        }
        for (String input : inputTypes.values()) {
            out.append('\n').append(input).append('\n');
        }
        stubs.forEach((name, stub) -> {
            out.append("\ntype ").append(name).append(" @key(fields: \"").append(stub.key).append("\"")
                    .append(stub.resolvable ? "" : ", resolvable: false").append(")")
                    .append(stub.batchConnect == null ? "" : "\n" + stub.batchConnect).append(" {\n  ").append(stub.key)
                    .append(": ").append(stub.keyType).append('\n');
            stub.fields.values().forEach(f -> out.append(f).append('\n'));
            out.append("}\n");
        });
        return out.toString();
    }

    private static String description(String text) {
        return "\"\"\"" + text.replace("\"\"\"", "\\\"\"\"").strip() + "\"\"\"";
    }

    /** A GraphQL field/argument name: camelCase, only name characters. */
    static String fieldName(String raw) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : raw.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128) {
                out.append(upper && !out.isEmpty() ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        if (out.isEmpty() || Character.isDigit(out.charAt(0))) {
            out.insert(0, '_');
        }
        return out.toString();
    }

    /** A GraphQL type name: PascalCase of the field name. */
    static String typeName(String raw) {
        String name = fieldName(raw);
        return name.startsWith("_") ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static String quoteKey(String key) {
        return key.matches("[A-Za-z_][A-Za-z0-9_]*") ? key : "'" + key.replace("'", "\\'") + "'";
    }
}
