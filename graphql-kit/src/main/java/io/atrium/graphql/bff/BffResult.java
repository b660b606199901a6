package io.atrium.graphql.bff;

import io.atrium.graphql.GraphQLErrors;
import io.atrium.graphql.json.JsonWriter;
import java.util.List;
import java.util.Map;

/**
 * A BFF's answer to one GraphQL request: status, headers (lower-case names) and the JSON body as bytes (forwarded
 * router answers are passed through without being parsed again).
 *
 * @param operation the name of the operation that ran (registered or validated), for metrics and logs; null when
 *                  the request was refused before one was known
 */
public record BffResult(int status, Map<String, String> headers, byte[] body, String operation) {
    public BffResult {
        headers = Map.copyOf(headers);
    }

    public BffResult(int status, Map<String, String> headers, byte[] body) {
        this(status, headers, body, null);
    }

    public BffResult withOperation(String name) {
        return new BffResult(status, headers, body, name);
    }

    /** The same answer with one more (or a replaced) header. */
    public BffResult withHeader(String name, String value) {
        java.util.Map<String, String> copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new BffResult(status, copy, body, operation);
    }

    public static BffResult body(int status, Map<String, String> headers, Map<String, Object> body) {
        return new BffResult(status, headers, JsonWriter.write(body));
    }

    /**
     * Whether the body may carry GraphQL errors: {@code "errors"} (with its quotes) occurs anywhere. Conservative (a
     * field of that name counts too, which only makes an answer uncacheable); one pass, no allocation, where parsing
     * an 88 KB answer to look at one key would cost more than forwarding it.
     */
    public boolean mayHaveErrors() {
        return body.length == 0 || containsErrorsKey(body);
    }

    /** Whether {@code "errors"} (with its quotes) occurs in {@code b}; a plain scan (a Horspool search was slower). */
    static boolean containsErrorsKey(byte[] b) {
        for (int i = 0, last = b.length - 8; i <= last; i++) {
            if (b[i] == '"' && b[i + 1] == 'e' && b[i + 2] == 'r' && b[i + 3] == 'r' && b[i + 4] == 'o'
                    && b[i + 5] == 'r' && b[i + 6] == 's' && b[i + 7] == '"') {
                return true;
            }
        }
        return false;
    }

    /** A request that was not executed: one error with its code, no {@code data}. */
    public static BffResult errors(int status, Map<String, String> headers, String code, String message) {
        return body(status, headers, Map.of("errors", List.of(GraphQLErrors.error(message, code, null))));
    }
}
