package io.atrium.edge.config;

/** The route file is unreadable or invalid; the message names the offending key's path. */
public final class EdgeConfigException extends RuntimeException {

    public EdgeConfigException(String message) {
        super(message);
    }

    public EdgeConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
