package io.atrium.edge;

import io.atrium.edge.config.EdgeConfigException;
import io.atrium.edge.testing.RawHttpClient;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting and stopping the edge through Micronaut, as the lead's end-to-end tests and the launcher do. */
class LifecycleIT {

    @Test
    void dataListenerStartsWithThePlainContextAndStopsWithIt() throws Exception {
        Path file = write("""
                format_version: 1
                listeners: { http: { host: 127.0.0.1, port: 0 } }
                clusters: { a: { endpoints: [ "http://127.0.0.1:9" ] } }
                routes: [ { name: a, match: { path_prefix: /a }, cluster: a } ]
                """);
        int port;
        try (ApplicationContext context = ApplicationContext.run(Map.of("atrium.edge.config", file.toString(), "micronaut.server.port", 0))) {
            EdgeDataPlane dataPlane = context.getBean(EdgeDataPlane.class);
            port = dataPlane.port();
            assertThat(dataPlane.isListening()).isTrue();
            try (RawHttpClient client = new RawHttpClient(port)) {
                client.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(404);
            }
        } finally {
            Files.delete(file);
        }
        assertThatThrownBy(() -> new RawHttpClient(port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void invalidRouteFileFailsStartUpNamingTheKey() throws Exception {
        Path file = write("""
                format_version: 1
                clusters: { a: { endpoints: [ "http://127.0.0.1:9" ], timout: 5s } }
                """);
        try {
            assertThatThrownBy(() -> ApplicationContext.run(Map.of("atrium.edge.config", file.toString(), "micronaut.server.port", 0)))
                    .rootCause()
                    .isInstanceOf(EdgeConfigException.class)
                    .hasMessageEndingWith("clusters.a.timout: unknown key (allowed: endpoints, connect_timeout, response_timeout, max_connections)");
        } finally {
            Files.delete(file);
        }
    }

    private static Path write(String yaml) throws IOException {
        Path file = Files.createTempFile("atrium-edge-", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
