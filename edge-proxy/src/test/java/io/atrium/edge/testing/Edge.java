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
        Path file = Files.createTempFile("atrium-edge-", ".yaml");
        Files.writeString(file, yaml);
        EmbeddedServer admin = ApplicationContext.run(EmbeddedServer.class,
                Map.of("atrium.edge.config", file.toString(), "micronaut.server.port", 0));
        return new Edge(file, admin);
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
