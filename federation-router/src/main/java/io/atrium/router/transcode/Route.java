package io.atrium.router.transcode;

import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import io.grpc.protobuf.ProtoUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP binding of a gRPC method, compiled at load time: the template, which request fields the path, the body and
 * the query bind, and the gRPC method descriptor the call uses. Nothing on the request path looks anything up by name
 * except query parameters (one map lookup each).
 *
 * @param backend      the backend's name in the config
 * @param selector     {@code pkg.Service.Method}
 * @param method       the method's descriptor
 * @param httpMethod   upper-case HTTP method ({@code custom.kind} as given)
 * @param template     the parsed path template
 * @param body         null (no body), {@code *} (the whole request), or a top-level field
 * @param responseBody the response field sent as the body, or null for the whole response
 * @param pathFields   per template variable, the field path it binds
 * @param queryFields  query parameter name (proto and JSON spellings) → field path; empty for {@code body: "*"}
 * @param emitDefaults print fields holding their defaults
 * @param grpcMethod   the call's descriptor (dynamic messages)
 */
public record Route(String backend, String selector, MethodDescriptor method, String httpMethod, PathTemplate template,
                    FieldDescriptor body, boolean wholeBody, FieldDescriptor responseBody,
                    List<List<FieldDescriptor>> pathFields, Map<String, List<FieldDescriptor>> queryFields,
                    boolean emitDefaults, io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod) {

    private static final int MAX_QUERY_DEPTH = 6;

    public boolean hasBody() {
        return wholeBody || body != null;
    }

    public boolean serverStreaming() {
        return method.isServerStreaming();
    }

    /** @throws IllegalArgumentException when the rule does not fit the method's messages */
    static Route compile(String backend, MethodDescriptor method, HttpRule rule, boolean emitDefaults) {
        String selector = method.getService().getFullName() + "." + method.getName();
        String where = "rule for " + selector + ": ";
        if (method.isClientStreaming()) {
            throw new IllegalArgumentException(where + "client-streaming methods cannot be transcoded");
        }
        String httpMethod;
        String path;
        switch (rule.getPatternCase()) {
            case GET -> { httpMethod = "GET"; path = rule.getGet(); }
            case PUT -> { httpMethod = "PUT"; path = rule.getPut(); }
            case POST -> { httpMethod = "POST"; path = rule.getPost(); }
            case DELETE -> { httpMethod = "DELETE"; path = rule.getDelete(); }
            case PATCH -> { httpMethod = "PATCH"; path = rule.getPatch(); }
            case CUSTOM -> { httpMethod = rule.getCustom().getKind().toUpperCase(java.util.Locale.ROOT); path = rule.getCustom().getPath(); }
            default -> throw new IllegalArgumentException(where + "no HTTP method and path");
        }
        PathTemplate template;
        try {
            template = PathTemplate.parse(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
        Descriptor input = method.getInputType();
        List<List<FieldDescriptor>> pathFields = new ArrayList<>();
        Set<String> bound = new java.util.HashSet<>();
        for (PathTemplate.Variable variable : template.variables()) {
            List<FieldDescriptor> fields = fieldPath(input, variable.fieldPath(), where);
            FieldDescriptor leaf = fields.getLast();
            if (leaf.isRepeated() || (leaf.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !ProtoJson.scalarLike(leaf.getMessageType()))) {
                throw new IllegalArgumentException(where + "path variable '" + variable.fieldPath()
                        + "' must be a singular scalar, enum or wrapper field");
            }
            pathFields.add(fields);
            bound.add(variable.fieldPath());
        }
        FieldDescriptor body = null;
        boolean wholeBody = "*".equals(rule.getBody());
        if (!rule.getBody().isEmpty() && !wholeBody) {
            body = input.findFieldByName(rule.getBody());
            if (body == null) {
                throw new IllegalArgumentException(where + "body field '" + rule.getBody() + "' is not a top-level field of "
                        + input.getFullName());
            }
        }
        FieldDescriptor responseBody = null;
        if (!rule.getResponseBody().isEmpty()) {
            responseBody = method.getOutputType().findFieldByName(rule.getResponseBody());
            if (responseBody == null) {
                throw new IllegalArgumentException(where + "response_body '" + rule.getResponseBody()
                        + "' is not a top-level field of " + method.getOutputType().getFullName());
            }
        }
        Map<String, List<FieldDescriptor>> query = new LinkedHashMap<>();
        if (!wholeBody) {
            collectQuery(input, "", "", new ArrayList<>(), bound, body, query, 0);
        }
        var grpcMethod = io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(method.isServerStreaming() ? io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING
                        : io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(
                        method.getService().getFullName(), method.getName()))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(input)))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
                .build();
        return new Route(backend, selector, method, httpMethod, template, body, wholeBody, responseBody,
                pathFields, query, emitDefaults, grpcMethod);
    }

    static List<FieldDescriptor> fieldPath(Descriptor type, String dotted, String where) {
        List<FieldDescriptor> fields = new ArrayList<>();
        Descriptor current = type;
        for (String name : dotted.split("\\.")) {
            if (current == null) {
                throw new IllegalArgumentException(where + "'" + dotted + "' goes through a non-message field");
            }
            FieldDescriptor field = current.findFieldByName(name);
            if (field == null) {
                throw new IllegalArgumentException(where + "'" + dotted + "' is not a field of " + type.getFullName());
            }
            if (field.isMapField()) {
                throw new IllegalArgumentException(where + "'" + dotted + "' is a map field");
            }
            fields.add(field);
            current = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()
                    ? field.getMessageType() : null;
        }
        return List.copyOf(fields);
    }

    /**
     * Query parameters: every leaf not bound by the path and not under the body field, named by its field path in
     * proto names and in JSON names. Repeated messages and maps cannot be query parameters.
     */
    private static void collectQuery(Descriptor type, String protoPrefix, String jsonPrefix, List<FieldDescriptor> chain,
                                     Set<String> bound, FieldDescriptor body, Map<String, List<FieldDescriptor>> out,
                                     int depth) {
        for (FieldDescriptor field : type.getFields()) {
            if (depth == 0 && field.equals(body)) {
                continue;
            }
            String protoName = protoPrefix + field.getName();
            String jsonName = jsonPrefix + field.getJsonName();
            if (bound.contains(protoName) || field.isMapField()) {
                continue;
            }
            List<FieldDescriptor> path = new ArrayList<>(chain);
            path.add(field);
            boolean message = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
            if (!message || ProtoJson.scalarLike(field.getMessageType())) {
                out.putIfAbsent(protoName, List.copyOf(path));
                out.putIfAbsent(jsonName, List.copyOf(path));
            } else if (!field.isRepeated() && depth < MAX_QUERY_DEPTH) {
                collectQuery(field.getMessageType(), protoName + ".", jsonName + ".", path, bound, body, out, depth + 1);
            }
        }
    }

    public String describe() {
        return httpMethod + " " + template.text() + " -> " + selector;
    }
}
