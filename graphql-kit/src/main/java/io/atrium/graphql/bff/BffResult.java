package io.atrium.graphql.bff;

import io.atrium.graphql.GraphQLErrors;
import io.atrium.graphql.http.EntityTags;
import io.atrium.graphql.json.JsonWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;

/**
 * A BFF's answer to one GraphQL request: status, headers (lower-case names) and the JSON body as bytes (forwarded
 * router answers are passed through without being parsed again).
 *
 * @param operation the name of the operation that ran (registered or validated), for metrics and logs; null when
 *                  the request was refused before one was known
 * @param wire      the router's answer as it was read, when it is passed on as it is ({@link DataPathHandler}): the
 *                  body, owned by this result until the data path writes it; null for a body of bytes
 */
public record BffResult(int status, Map<String, String> headers, byte[] body, String operation, ByteBuf wire) {
    public BffResult {
        headers = Map.copyOf(headers);
    }

    public BffResult(int status, Map<String, String> headers, byte[] body, String operation) {
        this(status, headers, body, operation, null);
    }

    public BffResult(int status, Map<String, String> headers, byte[] body) {
        this(status, headers, body, null, null);
    }

    /** The body's bytes (a copy of {@link #wire} when the body is one: read it while the result owns it). */
    @Override
    public byte[] body() {
        return wire == null ? body : ByteBufUtil.getBytes(wire);
    }

    /** The body's length in bytes. */
    public int length() {
        return wire == null ? body.length : wire.readableBytes();
    }

    public BffResult withOperation(String name) {
        return new BffResult(status, headers, body, name, wire);
    }

    /** The same answer with one more (or a replaced) header. */
    public BffResult withHeader(String name, String value) {
        java.util.Map<String, String> copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new BffResult(status, copy, body, operation, wire);
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
        return wire != null ? !wire.isReadable() || EntityTags.containsErrorsKey(wire)
                : body.length == 0 || EntityTags.containsErrorsKey(body);
    }

    /** A request that was not executed: one error with its code, no {@code data}. */
    public static BffResult errors(int status, Map<String, String> headers, String code, String message) {
        return body(status, headers, Map.of("errors", List.of(GraphQLErrors.error(message, code, null))));
    }
}
