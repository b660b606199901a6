package io.atrium.bff.web.session;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** One bff-web on a free loopback port with a session block pointing at a provider. */
final class BffWebUnderTest implements AutoCloseable {
    final EmbeddedServer server;
    final String base;

    private BffWebUnderTest(EmbeddedServer server) {
        this.server = server;
        this.base = "http://127.0.0.1:" + server.getPort();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code sessionBlock} may use {@code %PORT%} for the BFF's own port (redirect URIs). */
    static BffWebUnderTest start(String sessionBlock) throws IOException {
        return start(sessionBlock, freePort());
    }

    static BffWebUnderTest start(String sessionBlock, int port) throws IOException {
        Path file = Files.createTempFile("bff-web", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, "format_version: 1\nsession:\n" + sessionBlock.replace("%PORT%", String.valueOf(port)));
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", port,
                "micronaut.server.host", "127.0.0.1",
                "atrium.web.session-config", file.toString(),
                "atrium.bff.config", "src/test/resources/health-web.yaml",
                "test.caller-echo", "true"));
        return new BffWebUnderTest(server);
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
