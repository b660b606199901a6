package io.atrium.edge.config;

/** One upstream address of a cluster ({@code http://host:port} in the file). */
public record Endpoint(String host, int port) {

    /** The value sent upstream as {@code Host}. */
    public String authority() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    @Override
    public String toString() {
        return "http://" + authority();
    }
}
