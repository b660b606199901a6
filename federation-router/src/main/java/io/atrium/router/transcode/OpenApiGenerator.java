package io.atrium.router.transcode;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of the transcoded routes ({@code GET <prefix>/openapi.json}), generated from the same
 * compiled routes that serve requests: path and query parameters, request bodies and responses as the proto3 JSON
 * schemas of their messages, errors as {@code google.rpc.Status}.
 */
final class OpenApiGenerator {
    private static final String STATUS = "google.rpc.Status";

    private OpenApiGenerator() {
    }

    static String generate(List<Route> routes, String prefix, String version) {
        JsonObject doc = new JsonObject();
        doc.addProperty("openapi", "3.1.0");
        JsonObject info = new JsonObject();
        info.addProperty("title", "Atrium REST to gRPC transcoding");
        info.addProperty("version", version);
        doc.add("info", info);
        Map<String, JsonObject> paths = new TreeMap<>();
        Set<Descriptor> referenced = new LinkedHashSet<>();
        Map<String, Integer> operationIds = new java.util.HashMap<>();
        for (Route route : routes) {
            JsonObject item = paths.computeIfAbsent(prefix + openApiPath(route.template()), p -> new JsonObject());
            int n = operationIds.merge(route.selector(), 1, Integer::sum);
            item.add(route.httpMethod().toLowerCase(java.util.Locale.ROOT),
                    operation(route, n == 1 ? route.selector() : route.selector() + "_" + n, referenced));
        }
        JsonObject pathsJson = new JsonObject();
        paths.forEach(pathsJson::add);
        doc.add("paths", pathsJson);
        JsonObject schemas = new JsonObject();
        Deque<Descriptor> todo = new ArrayDeque<>(referenced);
        Set<String> done = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            Descriptor type = todo.pop();
            if (done.add(type.getFullName())) {
                schemas.add(type.getFullName(), messageSchema(type, todo));
            }
        }
        schemas.add(STATUS, statusSchema());
        JsonObject components = new JsonObject();
        components.add("schemas", schemas);
        doc.add("components", components);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc);
    }

    private static String openApiPath(PathTemplate template) {
        StringBuilder out = new StringBuilder();
        List<PathTemplate.Segment> segments = template.segments();
        int wildcard = 0;
        for (int i = 0; i < segments.size(); i++) {
            PathTemplate.Variable variable = variableAt(template, i);
            if (variable != null) {
                out.append("/{").append(variable.fieldPath()).append('}');
                i = variable.to() - 1;
                continue;
            }
            switch (segments.get(i)) {
                case PathTemplate.Literal literal -> out.append('/').append(literal.value());
                default -> out.append("/{_").append(wildcard++).append('}');
            }
        }
        return template.verb() == null ? out.toString() : out + ":" + template.verb();
    }

    private static PathTemplate.Variable variableAt(PathTemplate template, int index) {
        for (PathTemplate.Variable variable : template.variables()) {
            if (variable.from() == index) {
                return variable;
            }
        }
        return null;
    }

    private static JsonObject operation(Route route, String operationId, Set<Descriptor> referenced) {
        JsonObject op = new JsonObject();
        op.addProperty("operationId", operationId);
        op.addProperty("summary", route.selector());
        JsonArray parameters = new JsonArray();
        for (int i = 0; i < route.template().variables().size(); i++) {
            PathTemplate.Variable variable = route.template().variables().get(i);
            JsonObject parameter = new JsonObject();
            parameter.addProperty("name", variable.fieldPath());
            parameter.addProperty("in", "path");
            parameter.addProperty("required", true);
            parameter.add("schema", fieldSchema(route.pathFields().get(i).getLast(), referenced));
            parameters.add(parameter);
        }
        int wildcard = 0;
        for (int i = 0; i < route.template().segments().size(); i++) {
            PathTemplate.Variable variable = variableAt(route.template(), i);
            if (variable != null) {
                i = variable.to() - 1;
            } else if (!(route.template().segments().get(i) instanceof PathTemplate.Literal)) {
                JsonObject parameter = new JsonObject();
                parameter.addProperty("name", "_" + wildcard++);
                parameter.addProperty("in", "path");
                parameter.addProperty("required", true);
                parameter.add("schema", type("string"));
                parameters.add(parameter);
            }
        }
        for (Map.Entry<String, List<FieldDescriptor>> query : route.queryFields().entrySet()) {
            String jsonName = String.join(".", query.getValue().stream().map(FieldDescriptor::getJsonName).toList());
            if (!query.getKey().equals(jsonName)) {
                continue;
            }
            JsonObject parameter = new JsonObject();
            parameter.addProperty("name", jsonName);
            parameter.addProperty("in", "query");
            parameter.add("schema", fieldSchema(query.getValue().getLast(), referenced));
            if (query.getValue().getLast().isRepeated()) {
                parameter.addProperty("explode", true);
            }
            parameters.add(parameter);
        }
        if (!parameters.isEmpty()) {
            op.add("parameters", parameters);
        }
        if (route.hasBody()) {
            JsonObject body = new JsonObject();
            body.add("content", content("application/json", route.wholeBody()
                    ? ref(route.method().getInputType(), referenced) : fieldSchema(route.body(), referenced)));
            op.add("requestBody", body);
        }
        JsonObject responses = new JsonObject();
        JsonObject ok = new JsonObject();
        ok.addProperty("description", "OK");
        JsonObject schema = route.responseBody() == null ? ref(route.method().getOutputType(), referenced)
                : fieldSchema(route.responseBody(), referenced);
        if (route.serverStreaming()) {
            JsonObject content = new JsonObject();
            content.add("application/x-ndjson", mediaType(schema));
            content.add("text/event-stream", mediaType(schema));
            ok.add("content", content);
        } else {
            ok.add("content", content("application/json", schema));
        }
        responses.add("200", ok);
        JsonObject error = new JsonObject();
        error.addProperty("description", "a google.rpc.Status; the HTTP status follows its code");
        JsonObject statusRef = new JsonObject();
        statusRef.addProperty("$ref", "#/components/schemas/" + STATUS);
        error.add("content", content("application/json", statusRef));
        responses.add("default", error);
        op.add("responses", responses);
        return op;
    }

    private static JsonObject content(String mediaType, JsonObject schema) {
        JsonObject content = new JsonObject();
        content.add(mediaType, mediaType(schema));
        return content;
    }

    private static JsonObject mediaType(JsonObject schema) {
        JsonObject media = new JsonObject();
        media.add("schema", schema);
        return media;
    }

    private static JsonObject messageSchema(Descriptor type, Deque<Descriptor> todo) {
        JsonObject schema = type("object");
        JsonObject properties = new JsonObject();
        Set<Descriptor> nested = new LinkedHashSet<>();
        for (FieldDescriptor field : type.getFields()) {
            properties.add(field.getJsonName(), fieldSchema(field, nested));
        }
        todo.addAll(nested);
        schema.add("properties", properties);
        schema.addProperty("additionalProperties", false);
        return schema;
    }

    private static JsonObject fieldSchema(FieldDescriptor field, Set<Descriptor> referenced) {
        if (field.isMapField()) {
            JsonObject map = type("object");
            map.add("additionalProperties", singleSchema(field.getMessageType().findFieldByName("value"), referenced));
            return map;
        }
        JsonObject single = singleSchema(field, referenced);
        if (!field.isRepeated()) {
            return single;
        }
        JsonObject array = type("array");
        array.add("items", single);
        return array;
    }

    private static JsonObject singleSchema(FieldDescriptor field, Set<Descriptor> referenced) {
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> format(type("integer"), "int32");
            case UINT32, FIXED32 -> format(type("integer"), "uint32");
            case INT64, SINT64, SFIXED64 -> format(type("string"), "int64");
            case UINT64, FIXED64 -> format(type("string"), "uint64");
            case FLOAT -> format(type("number"), "float");
            case DOUBLE -> format(type("number"), "double");
            case BOOL -> type("boolean");
            case STRING -> type("string");
            case BYTES -> format(type("string"), "byte");
            case ENUM -> {
                JsonObject schema = type("string");
                JsonArray values = new JsonArray();
                for (EnumValueDescriptor value : field.getEnumType().getValues()) {
                    values.add(value.getName());
                }
                schema.add("enum", values);
                yield schema;
            }
            case MESSAGE, GROUP -> wellKnown(field.getMessageType()) != null ? wellKnown(field.getMessageType())
                    : ref(field.getMessageType(), referenced);
        };
    }

    private static JsonObject wellKnown(Descriptor type) {
        return switch (type.getFullName()) {
            case "google.protobuf.Timestamp" -> format(type("string"), "date-time");
            case "google.protobuf.Duration" -> format(type("string"), "duration");
            case "google.protobuf.FieldMask" -> type("string");
            case "google.protobuf.StringValue", "google.protobuf.BytesValue" -> nullable("string");
            case "google.protobuf.BoolValue" -> nullable("boolean");
            case "google.protobuf.Int32Value", "google.protobuf.UInt32Value" -> nullable("integer");
            case "google.protobuf.Int64Value", "google.protobuf.UInt64Value" -> nullable("string");
            case "google.protobuf.DoubleValue", "google.protobuf.FloatValue" -> nullable("number");
            case "google.protobuf.Struct", "google.protobuf.Empty", "google.protobuf.Any" -> type("object");
            case "google.protobuf.ListValue" -> type("array");
            case "google.protobuf.Value" -> new JsonObject();
            default -> null;
        };
    }

    private static JsonObject ref(Descriptor type, Set<Descriptor> referenced) {
        JsonObject wellKnown = wellKnown(type);
        if (wellKnown != null) {
            return wellKnown;
        }
        referenced.add(type);
        JsonObject ref = new JsonObject();
        ref.addProperty("$ref", "#/components/schemas/" + type.getFullName());
        return ref;
    }

    private static JsonObject statusSchema() {
        JsonObject schema = type("object");
        JsonObject properties = new JsonObject();
        properties.add("code", format(type("integer"), "int32"));
        properties.add("message", type("string"));
        JsonObject details = type("array");
        JsonObject any = type("object");
        JsonObject anyProperties = new JsonObject();
        anyProperties.add("@type", type("string"));
        any.add("properties", anyProperties);
        details.add("items", any);
        properties.add("details", details);
        schema.add("properties", properties);
        return schema;
    }

    private static JsonObject type(String name) {
        JsonObject schema = new JsonObject();
        schema.addProperty("type", name);
        return schema;
    }

    private static JsonObject nullable(String name) {
        JsonObject schema = new JsonObject();
        JsonArray types = new JsonArray();
        types.add(name);
        types.add("null");
        schema.add("type", types);
        return schema;
    }

    private static JsonObject format(JsonObject schema, String format) {
        schema.addProperty("format", format);
        return schema;
    }
}
