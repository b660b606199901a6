package io.atrium.graphql.json;

/** The bytes are not one valid JSON document; the message says where. */
public final class JsonSyntaxException extends RuntimeException {
    public JsonSyntaxException(String message) {
        super(message);
    }
}
