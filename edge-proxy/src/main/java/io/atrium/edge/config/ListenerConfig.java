package io.atrium.edge.config;

/**
 * A data listener.
 *
 * @param host address to bind; default {@code 0.0.0.0}
 * @param port port to bind; default 8080; 0 picks a free port (tests)
 */
public record ListenerConfig(String host, int port) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;

    public static ListenerConfig defaults() {
        return new ListenerConfig(DEFAULT_HOST, DEFAULT_PORT);
    }
}
