package io.atrium.router.transcode;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a route's request message from the HTTP request: the body (whole message, one field, or none), then the
 * path variables, then the query parameters, as {@code google.api.http} assigns them. Strict: an unknown query
 * parameter, a body where the rule has none, a value the field cannot take, or a body field that a path variable
 * also binds are all refused with field violations, before anything is sent.
 */
final class RequestBinder {

    private RequestBinder() {
    }

    static DynamicMessage bind(Route route, ProtoJson json, String body, Map<String, String> variables,
                               Map<String, List<String>> query) throws ProtoJson.InvalidRequest {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(route.method().getInputType());
        boolean hasBody = !body.isBlank();
        if (hasBody && !route.hasBody()) {
            throw new ProtoJson.InvalidRequest("this method takes no request body",
                    List.of(new ProtoJson.Violation("", "a request body was sent, but " + route.httpMethod() + " "
                            + route.template().text() + " takes none (use the query parameters)")));
        }
        if (hasBody) {
            json.mergeBody(route.wholeBody() ? body : "{\"" + route.body().getJsonName() + "\":" + body + "}", builder);
        }
        List<ProtoJson.Violation> violations = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            List<FieldDescriptor> path = route.pathFields().get(i++);
            if (hasBody && isSet(builder, path)) {
                violations.add(new ProtoJson.Violation(variable.getKey(),
                        "is bound by the URL path and must not be set in the body as well"));
                continue;
            }
            collect(() -> json.bind(builder, path, List.of(variable.getValue()), variable.getKey()), violations);
        }
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            List<FieldDescriptor> path = route.queryFields().get(parameter.getKey());
            if (path == null) {
                violations.add(new ProtoJson.Violation(parameter.getKey(), unknownParameter(route)));
                continue;
            }
            collect(() -> json.bind(builder, path, parameter.getValue(), parameter.getKey()), violations);
        }
        if (!violations.isEmpty()) {
            throw new ProtoJson.InvalidRequest(violations.size() == 1
                    ? "invalid request parameter '" + violations.getFirst().field() + "'"
                    : violations.size() + " invalid request parameters", violations);
        }
        return builder.build();
    }

    private interface Binding {
        void run() throws ProtoJson.InvalidRequest;
    }

    private static void collect(Binding binding, List<ProtoJson.Violation> violations) {
        try {
            binding.run();
        } catch (ProtoJson.InvalidRequest e) {
            violations.addAll(e.violations);
        }
    }

    private static String unknownParameter(Route route) {
        if (route.wholeBody()) {
            return "unknown query parameter: every field of this method comes from the body";
        }
        return "unknown query parameter (fields by proto or JSON name, nested as a.b; path-bound fields "
                + "and the body field are not parameters)";
    }

    /** Whether the body already set this field path (present, or non-default for implicit presence). */
    private static boolean isSet(DynamicMessage.Builder builder, List<FieldDescriptor> path) {
        Message current = builder.buildPartial();
        for (int i = 0; i < path.size() - 1; i++) {
            FieldDescriptor field = path.get(i);
            if (!current.hasField(field)) {
                return false;
            }
            current = (Message) current.getField(field);
        }
        FieldDescriptor leaf = path.getLast();
        if (leaf.hasPresence()) {
            return current.hasField(leaf);
        }
        return !current.getField(leaf).equals(leaf.getDefaultValue());
    }
}
