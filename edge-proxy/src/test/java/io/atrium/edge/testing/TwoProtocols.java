package io.atrium.edge.testing;

import io.atrium.edge.tls.DevCertificate;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * JDK clients for the two client protocols an integration test runs its scenarios over: HTTP/1.1 on the plain listener
 * and HTTP/2 over TLS (ALPN), trusting a development certificate made for the test. The edge's route file takes the
 * certificate from {@link #httpsListener()}.
 */
public final class TwoProtocols implements AutoCloseable {

    public enum Protocol {
        HTTP_1_1(HttpClient.Version.HTTP_1_1),
        HTTP_2(HttpClient.Version.HTTP_2);

        public final HttpClient.Version version;

        Protocol(HttpClient.Version version) {
            this.version = version;
        }
    }

    private final Path certDir;
    private final DevCertificate.PemFiles pem;
    private final Map<Protocol, HttpClient> clients = new EnumMap<>(Protocol.class);
    private Edge edge;

    public TwoProtocols() throws Exception {
        certDir = Files.createTempDirectory("atrium-certs");
        pem = Tls.certificateIn(certDir);
        SSLContext trusting = Tls.trusting(pem.certificate());
        clients.put(Protocol.HTTP_1_1, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());
        clients.put(Protocol.HTTP_2, HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting)
                .connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** The {@code listeners} block of a route file: plain HTTP and HTTPS on free loopback ports. */
    public String listeners() {
        return """
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                  https: { host: 127.0.0.1, port: 0, cert_file: "%s", key_file: "%s" }
                """.formatted(pem.certificate(), pem.privateKey());
    }

    /** Uses {@code edge} for the requests of {@link #request}. */
    public void use(Edge edge) {
        this.edge = edge;
    }

    public HttpRequest.Builder request(Protocol protocol, String pathAndQuery) {
        String base = protocol == Protocol.HTTP_2 ? "https://127.0.0.1:" + edge.dataPlane().tlsPort() : edge.url();
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    public HttpResponse<String> send(Protocol protocol, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = clients.get(protocol).send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.version() != protocol.version) {
            throw new AssertionError("expected " + protocol.version + " but the exchange used " + response.version());
        }
        return response;
    }

    @Override
    public void close() throws IOException {
        clients.values().forEach(HttpClient::close);
        try (var files = Files.list(certDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(certDir);
    }
}
