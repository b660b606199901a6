package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.H2cPriorKnowledgeClient;
import io.atrium.edge.testing.Payload;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.edge.testing.TestUpstream;
import io.atrium.edge.testing.Tls;
import io.atrium.edge.tls.DevCertificate;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.ssl.OpenSsl;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same proxy scenarios over every listener protocol: HTTP/1.1 and HTTP/2 over TLS (ALPN), HTTP/1.1 in clear text and
 * h2c by {@code Upgrade} (both on the plain listener). Clients are the JDK's, trusting the test certificate only.
 */
class ProtocolsIT {

    enum Protocol {
        H1_PLAIN(HttpClient.Version.HTTP_1_1, false),
        H2C_UPGRADE(HttpClient.Version.HTTP_2, false),
        H1_TLS(HttpClient.Version.HTTP_1_1, true),
        H2_TLS(HttpClient.Version.HTTP_2, true);

        final HttpClient.Version version;
        final boolean tls;

        Protocol(HttpClient.Version version, boolean tls) {
            this.version = version;
            this.tls = tls;
        }
    }

    private static final String KEY = "protocols-test-key";

    private static Path certDir;
    private static TestUpstream upstream;
    private static Edge edge;
    private static final Map<Protocol, HttpClient> clients = new EnumMap<>(Protocol.class);

    @BeforeAll
    static void start() throws Exception {
        certDir = Files.createTempDirectory("atrium-certs");
        DevCertificate.PemFiles pem = Tls.certificateIn(certDir);
        upstream = new TestUpstream();
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                  https: { host: 127.0.0.1, port: 0, cert_file: "%s", key_file: "%s" }
                auth:
                  api_keys:
                    consumers: [ { name: app, key_sha256: "%s" } ]
                clusters:
                  echo:
                    endpoints: [ "%s" ]
                routes:
                  - name: public
                    match: { path_prefix: /api }
                    cluster: echo
                    prefix_rewrite: /v1
                    auth: { public: true }
                    max_request_body: 1MiB
                  - name: private
                    match: { path_prefix: /private }
                    cluster: echo
                    rate_limit: { key: "header:X-Bucket", limits: [ { requests: 2, period: 10m } ] }
                  - name: secure-only
                    match: { path_prefix: /secure }
                    cluster: echo
                    auth: { public: true }
                    redirect_to_https: true
                """.formatted(pem.certificate(), pem.privateKey(), ApiKeyAuthenticator.digestHex(KEY), upstream.url()));
        SSLContext trusting = Tls.trusting(pem.certificate());
        for (Protocol protocol : Protocol.values()) {
            HttpClient.Builder builder = HttpClient.newBuilder().version(protocol.version).connectTimeout(Duration.ofSeconds(5));
            if (protocol.tls) {
                builder.sslContext(trusting);
            }
            clients.put(protocol, builder.build());
        }
    }

    @AfterAll
    static void stop() throws IOException {
        clients.values().forEach(HttpClient::close);
        edge.close();
        upstream.close();
        try (var files = Files.list(certDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(certDir);
    }

    @BeforeEach
    void clear() {
        upstream.clear();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void getIsProxiedWithForwardingHeaders(Protocol protocol) throws Exception {
        HttpResponse<String> response = send(protocol, request(protocol, "/api/items?x=1").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(protocol.version);
        assertThat(response.body()).isEqualTo("echo:");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.uri()).isEqualTo("/v1/items?x=1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo(protocol.tls ? "https" : "http");
        assertThat(seen.header("via")).contains("atrium");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void requestBodiesStreamToTheUpstream(Protocol protocol) throws Exception {
        byte[] body = Payload.stream(300_000).readAllBytes();
        HttpResponse<String> response = send(protocol, request(protocol, "/api/upload").POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest().body()).isEqualTo(body);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void policiesAnswerTheSameOverEveryProtocol(Protocol protocol) throws Exception {
        HttpResponse<String> missing = send(protocol, request(protocol, "/private/x").GET());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("www-authenticate")).isPresent();
        assertThat(missing.headers().firstValue("content-type")).hasValue("application/problem+json");

        String bucket = "bucket-" + protocol;
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> ok = send(protocol, request(protocol, "/private/x").header("X-API-Key", KEY).header("X-Bucket", bucket).GET());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(upstream.takeRequest().header("x-atrium-consumer")).isEqualTo("app");
        }
        HttpResponse<String> limited = send(protocol, request(protocol, "/private/x").header("X-API-Key", KEY).header("X-Bucket", bucket).GET());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).isPresent();

        HttpResponse<String> tooLarge = send(protocol, request(protocol, "/api/x").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])));
        assertThat(tooLarge.statusCode()).isEqualTo(413);

        HttpResponse<String> notFound = send(protocol, request(protocol, "/nowhere").GET());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void tlsListenerUsesOpenSslWhereTheBundledBoringSslLoads() throws Exception {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch");
        boolean bundled = (os.contains("linux") || os.contains("mac")) && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
        if (bundled) {
            assertThat(OpenSsl.isAvailable()).as("netty-tcnative-boringssl-static loads on %s/%s", os, arch).isTrue();
        }
        assertThat(edge.dataPlane().tlsProvider()).isEqualTo(OpenSsl.isAvailable() ? "openssl" : "jdk");
        // The same engine negotiates both ALPN protocols with the PEM (PKCS#8 EC) development certificate.
        assertThat(send(Protocol.H2_TLS, request(Protocol.H2_TLS, "/api/x").GET()).version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(send(Protocol.H1_TLS, request(Protocol.H1_TLS, "/api/x").GET()).version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void h2cByPriorKnowledgeRunsTheSameProxyLogic() throws Exception {
        try (H2cPriorKnowledgeClient client = new H2cPriorKnowledgeClient(edge.port())) {
            H2cPriorKnowledgeClient.Response ok = client.send("POST", "/api/pk", new DefaultHttp2Headers(), "hello".getBytes(StandardCharsets.UTF_8));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.bodyText()).isEqualTo("echo:hello");
            TestUpstream.Recorded seen = upstream.takeRequest();
            assertThat(seen.uri()).isEqualTo("/v1/pk");
            assertThat(seen.bodyText()).isEqualTo("hello");

            H2cPriorKnowledgeClient.Response missing = client.send("GET", "/private/x", new DefaultHttp2Headers(), null);
            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.headers().get("www-authenticate")).isNotNull();
            H2cPriorKnowledgeClient.Response keyed = client.send("GET", "/private/x",
                    new DefaultHttp2Headers().add("x-api-key", KEY).add("x-bucket", "prior-knowledge"), null);
            assertThat(keyed.status()).isEqualTo(200);
            assertThat(upstream.takeRequest().header("x-atrium-consumer")).isEqualTo("app");
        }
    }

    @Test
    void redirectToHttpsSendsPlainRequestsToTheTlsListenerAndServesTlsOnes() throws Exception {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /secure/a?b=c HTTP/1.1\r\nHost: localhost:" + edge.port() + "\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("location")).isEqualTo("https://localhost:" + edge.dataPlane().tlsPort() + "/secure/a?b=c");
        }
        assertThat(upstream.pollRequest()).isNull();

        HttpResponse<String> overTls = send(Protocol.H2_TLS, request(Protocol.H2_TLS, "/secure/a").GET());
        assertThat(overTls.statusCode()).isEqualTo(200);
    }

    private static HttpRequest.Builder request(Protocol protocol, String path) {
        String base = protocol.tls ? "https://127.0.0.1:" + edge.dataPlane().tlsPort() : edge.url();
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(Protocol protocol, HttpRequest.Builder request) throws IOException, InterruptedException {
        return clients.get(protocol).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
