package io.atrium.router.connector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GraphQL error on a connector field or entity: the field becomes null and the error carries {@code message} and
 * {@code extensions} (always with {@code code}; for backend failures also the connector coordinate and the HTTP or
 * gRPC status). Expected failures: no stack trace is captured.
 */
public final class ConnectorException extends RuntimeException {

    private final Map<String, Object> extensions;

    public ConnectorException(String message, Map<String, Object> extensions) {
        super(message, null, false, false);
        this.extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        if (!this.extensions.containsKey("code")) {
            throw new IllegalArgumentException("connector errors carry extensions.code");
        }
    }

    public static ConnectorException of(String code, String message) {
        return new ConnectorException(message, Map.of("code", code));
    }

    public String code() {
        return (String) extensions.get("code");
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
