package io.atrium.graphql.bff;

import io.atrium.graphql.GraphQLErrors;
import io.atrium.graphql.json.JsonWriter;
import java.util.List;
import java.util.Map;

/**
 * A BFF's answer to one GraphQL request: status, headers (lower-case names) and the JSON body as bytes (forwarded
 * router answers are passed through without being parsed again).
 */
public record BffResult(int status, Map<String, String> headers, byte[] body) {
    public BffResult {
        headers = Map.copyOf(headers);
    }

    /** The same answer with one more (or a replaced) header. */
    public BffResult withHeader(String name, String value) {
        java.util.Map<String, String> copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new BffResult(status, copy, body);
    }

    public static BffResult body(int status, Map<String, String> headers, Map<String, Object> body) {
        return new BffResult(status, headers, JsonWriter.write(body));
    }

    /** A request that was not executed: one error with its code, no {@code data}. */
    public static BffResult errors(int status, Map<String, String> headers, String code, String message) {
        return body(status, headers, Map.of("errors", List.of(GraphQLErrors.error(message, code, null))));
    }
}
