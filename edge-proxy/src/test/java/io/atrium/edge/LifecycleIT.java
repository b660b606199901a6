package io.atrium.edge;

import io.atrium.edge.config.EdgeConfigException;
import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.H2cPriorKnowledgeClient;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.policy.identity.SigningKeys;
import com.nimbusds.jose.jwk.ECKey;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
                routes: [ { name: a, match: { path_prefix: /a }, cluster: a, auth: { public: true } } ]
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
                    .hasMessageEndingWith("clusters.a.timout: unknown key (allowed: endpoints, connect_timeout, response_timeout, max_connections, load_balancing, health_check, outlier_detection, circuit_breaker, retry)");
        } finally {
            Files.delete(file);
        }
    }

    /** ATRIUM_EDGE_SIGNING_KEY: two edges started with one key publish the same JWKS, so either verifies both. */
    @Test
    void aSigningKeyFromTheEnvironmentIsSharedByEveryEdgeAndNeverShownWhenRefused() throws Exception {
        String route = """
                format_version: 1
                listeners: { http: { host: 127.0.0.1, port: 0 } }
                clusters: { a: { endpoints: [ "http://127.0.0.1:9" ] } }
                routes: [ { name: a, match: { path_prefix: /a }, cluster: a, auth: { public: true } } ]
                """;
        Path file = write(route);
        Path withOwnKey = write(route + "identity_assertion: { signing_key: '" + SigningKeys.newKey().toJSONString() + "' }\n");
        String key = SigningKeys.newKey().toJSONString();
        String kid = ECKey.parse(key).getKeyID();
        try {
            try (ApplicationContext first = edgeContext(file, key); ApplicationContext second = edgeContext(file, key)) {
                String jwks = first.getBean(EdgeDataPlane.class).assertionJwks();
                assertThat(jwks).contains(kid).doesNotContain("\"d\"");
                assertThat(second.getBean(EdgeDataPlane.class).assertionJwks()).isEqualTo(jwks);
            }
            assertThatThrownBy(() -> edgeContext(withOwnKey, key)).rootCause().isInstanceOf(EdgeConfigException.class)
                    .hasMessageContaining("set in the route file and in ATRIUM_EDGE_SIGNING_KEY");
            String publicOnly = ECKey.parse(key).toPublicJWK().toJSONString();
            assertThatThrownBy(() -> edgeContext(file, publicOnly)).rootCause().isInstanceOf(EdgeConfigException.class)
                    .hasMessageContaining("not a private EC P-256 JWK").hasMessageNotContaining(publicOnly)
                    .hasMessageNotContaining(kid);
        } finally {
            Files.delete(file);
            Files.delete(withOwnKey);
        }
    }

    private static ApplicationContext edgeContext(Path routeFile, String signingKey) {
        return ApplicationContext.run(Map.of("atrium.edge.config", routeFile.toString(), "micronaut.server.port", 0,
                "atrium.edge.signing-key", signingKey));
    }

    @Test
    void drainingSendsGoAwayToHttp2ClientsAndLetsTheirOpenStreamsFinish() throws Exception {
        try (ServerSocket slow = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Edge edge = Edge.start("""
                    format_version: 1
                    listeners: { http: { host: 127.0.0.1, port: 0 } }
                    clusters: { slow: { endpoints: [ "http://127.0.0.1:%d" ] } }
                    routes: [ { name: slow, match: { path_prefix: /slow }, cluster: slow, auth: { public: true } } ]
                    """.formatted(slow.getLocalPort()));
            Thread closer = null;
            try (H2cPriorKnowledgeClient client = new H2cPriorKnowledgeClient(edge.port())) {
                CompletableFuture<H2cPriorKnowledgeClient.Response> response = client.sendAsync("GET", "/slow/x", new DefaultHttp2Headers(), null);
                try (Socket upstream = slow.accept()) {
                    BufferedReader reader = new BufferedReader(new InputStreamReader(upstream.getInputStream(), StandardCharsets.US_ASCII));
                    String line;
                    while ((line = reader.readLine()) != null && !line.isEmpty()) {
                        // the request head reached the upstream: the stream is in flight
                    }
                    closer = Thread.ofVirtual().start(() -> {
                        try {
                            edge.close();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    client.goAway().get(5, TimeUnit.SECONDS);
                    upstream.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone".getBytes(StandardCharsets.US_ASCII));
                    upstream.getOutputStream().flush();
                    H2cPriorKnowledgeClient.Response done = response.get(5, TimeUnit.SECONDS);
                    assertThat(done.status()).isEqualTo(200);
                    assertThat(done.bodyText()).isEqualTo("done");
                }
            } finally {
                if (closer == null) {
                    edge.close();
                } else {
                    closer.join();
                }
            }
        }
    }

    private static Path write(String yaml) throws IOException {
        Path file = Files.createTempFile("atrium-edge-", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
