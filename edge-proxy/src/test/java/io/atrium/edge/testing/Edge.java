package io.atrium.edge.testing;

import io.atrium.edge.EdgeDataPlane;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The edge as a user runs it (Micronaut context plus admin server), started from a route file on random ports. */
public final class Edge implements AutoCloseable {

    private final Path configFile;
    private final EmbeddedServer admin;
    private final EdgeDataPlane dataPlane;

    private Edge(Path configFile, EmbeddedServer admin) {
        this.configFile = configFile;
        this.admin = admin;
        this.dataPlane = admin.getApplicationContext().getBean(EdgeDataPlane.class);
    }

    /** Starts an edge whose route file is {@code yaml} (use {@code port: 0} for the listener). */
    public static Edge start(String yaml) throws IOException {
        return start(yaml, Map.of());
    }

    /** As {@link #start(String)} with further Micronaut properties (e.g. {@code atrium.edge.admin.token}). */
    public static Edge start(String yaml, Map<String, Object> properties) throws IOException {
        Path file = Files.createTempFile("atrium-edge-", ".yaml");
        Files.writeString(file, yaml);
        Map<String, Object> all = new java.util.HashMap<>(properties);
        all.put("atrium.edge.config", file.toString());
        all.put("micronaut.server.port", 0);
        try {
            EmbeddedServer admin = ApplicationContext.run(EmbeddedServer.class, all);
            return new Edge(file, admin);
        } catch (RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The route file the edge was started from (rewrite it to test reloads). */
    public Path configFile() {
        return configFile;
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort();
    }

    public int port() {
        return dataPlane.port();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int adminPort() {
        return admin.getPort();
    }

    public EdgeDataPlane dataPlane() {
        return dataPlane;
    }

    @Override
    public void close() throws IOException {
        admin.getApplicationContext().close();
        Files.deleteIfExists(configFile);
    }
}
