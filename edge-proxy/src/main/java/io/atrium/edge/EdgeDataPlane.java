package io.atrium.edge;

import io.atrium.edge.config.EdgeConfig;
import io.atrium.edge.config.EdgeConfigLoader;
import io.atrium.edge.proxy.EdgeServer;
import io.atrium.edge.proxy.ProxyStats;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;

import java.nio.file.Path;

/**
 * Starts the data-path listener when the application context starts and drains it when the context stops.
 * The route file is named by {@code atrium.edge.config} (env {@code ATRIUM_EDGE_CONFIG}); without it the bundled
 * default (local-stack routes) is used. Invalid config fails start-up.
 */
@Context
public final class EdgeDataPlane implements AutoCloseable {

    private final EdgeConfig config;
    private final String configSource;
    private final EdgeServer server;

    EdgeDataPlane(@Value("${atrium.edge.config:}") String configPath) {
        if (configPath.isBlank()) {
            this.config = EdgeConfigLoader.loadDefault();
            this.configSource = "classpath:" + EdgeConfigLoader.DEFAULT_RESOURCE;
        } else {
            this.config = EdgeConfigLoader.load(Path.of(configPath));
            this.configSource = configPath;
        }
        this.server = EdgeServer.start(config);
    }

    /** The bound data port (useful when the route file asks for port 0). */
    public int port() {
        return server.port();
    }

    public boolean isListening() {
        return server.isListening();
    }

    /** The data path's I/O transport: {@code epoll} or {@code nio}. */
    public String transport() {
        return server.transport();
    }

    public EdgeConfig config() {
        return config;
    }

    public String configSource() {
        return configSource;
    }

    public ProxyStats stats() {
        return server.stats();
    }

    @PreDestroy
    @Override
    public void close() {
        server.close();
    }
}
