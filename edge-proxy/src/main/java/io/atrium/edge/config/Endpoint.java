package io.atrium.edge.config;

/**
 * One upstream address of a cluster ({@code http://host:port} in the file, or {@code { url, weight }}).
 *
 * @param weight the endpoint's share under {@code load_balancing: weighted} (default 1)
 */
public record Endpoint(String host, int port, int weight) {

    public Endpoint {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, was " + weight);
        }
    }

    /** An endpoint of weight 1. */
    public Endpoint(String host, int port) {
        this(host, port, 1);
    }

    /** The value sent upstream as {@code Host}. */
    public String authority() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    @Override
    public String toString() {
        return "http://" + authority();
    }
}
