package io.atrium.graphql;

import graphql.language.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GraphQL error entries and bodies as plain JSON values ({@code message}, {@code locations}, {@code extensions.code}). */
public final class GraphQLErrors {
    private GraphQLErrors() {
    }

    public static Map<String, Object> error(String message, String code, SourceLocation location) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        if (location != null && location.getLine() > 0) {
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("line", location.getLine());
            at.put("column", location.getColumn());
            error.put("locations", List.of(at));
        }
        error.put("extensions", Map.of("code", code));
        return error;
    }

    /** {@code {"errors": [one error]}}: the body of a request that was not executed. */
    public static Map<String, Object> body(String message, String code) {
        return Map.of("errors", List.of(error(message, code, null)));
    }
}
