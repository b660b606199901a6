package io.atrium.policy.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/up", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** Generous: the first request of a cold JVM on a loaded CI machine can take seconds; only the verdict is tested. */
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void healthyOnlyOn2xx() {
        assertThat(HealthProbe.isHealthy(url("/up"), TIMEOUT)).isTrue();
        assertThat(HealthProbe.isHealthy(url("/down"), TIMEOUT)).isFalse();
    }

    @Test
    void unhealthyWhenNothingListens() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThat(HealthProbe.isHealthy(URI.create("http://127.0.0.1:" + closedPort + "/health"), TIMEOUT))
                .isFalse();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
