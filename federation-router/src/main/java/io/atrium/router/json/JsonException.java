package io.atrium.router.json;

/** A body that is not valid JSON. */
public final class JsonException extends RuntimeException {
    public JsonException(String message) {
        super(message);
    }
}
