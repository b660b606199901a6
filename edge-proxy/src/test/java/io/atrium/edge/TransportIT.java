package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.Payload;
import io.atrium.edge.testing.TestUpstream;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data path over each I/O transport this machine can run (io_uring, epoll, NIO): a large response and a large
 * request body stream through, over HTTP/1.1 and HTTP/2 (h2c upgrade), on keep-alive connections.
 */
class TransportIT {

    private static final long SIZE = 3L * 1024 * 1024;
    private static TestUpstream upstream;

    @BeforeAll
    static void start() throws IOException {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    static List<String> available() {
        List<String> transports = new ArrayList<>();
        if (IoUring.isAvailable()) {
            transports.add("io_uring");
        }
        if (Epoll.isAvailable()) {
            transports.add("epoll");
        }
        transports.add("nio");
        return transports;
    }

    @ParameterizedTest
    @MethodSource("available")
    void bodiesStreamBothWaysOverHttp1AndHttp2(String transport) throws Exception {
        try (Edge edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                clusters:
                  files: { endpoints: [ "%s" ] }
                routes:
                  - name: files
                    match: { path_prefix: /files }
                    cluster: files
                    auth: { public: true }
                """.formatted(upstream.url()), Map.of("atrium.edge.transport", transport))) {
            assertThat(edge.dataPlane().transport()).isEqualTo(transport);
            for (HttpClient.Version version : HttpClient.Version.values()) {
                try (HttpClient http = HttpClient.newBuilder().version(version).build()) {
                    for (int round = 0; round < 2; round++) { // the second round reuses the connections
                        HttpResponse<byte[]> down = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/files/big/" + SIZE)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        assertThat(down.statusCode()).isEqualTo(200);
                        assertThat(down.version()).isEqualTo(version);
                        assertThat(HexFormat.of().formatHex(Payload.sha256().digest(down.body()))).isEqualTo(Payload.sha256Hex(SIZE));

                        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/files/sink-slowly"))
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Payload.stream(SIZE))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(up.statusCode()).isEqualTo(200);
                        assertThat(up.body()).isEqualTo(Payload.sha256Hex(SIZE) + " " + SIZE);
                    }
                }
            }
        }
        upstream.clear();
    }
}
