package io.atrium.router.connector.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.atrium.examples.RunningService;
import io.atrium.examples.payments.PaymentsServer;
import io.atrium.router.config.ConfigException;
import io.atrium.router.config.RouterConfig;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.transcode.TestPki;
import io.atrium.router.transcode.Transcoder;
import io.atrium.router.transcode.TranscodingConfigLoader;
import io.atrium.router.transport.SubgraphRequest;
import io.atrium.router.transport.SubgraphResponse;
import io.grpc.TlsServerCredentials;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS and mTLS from the router to gRPC servers, with certificates made for the run ({@link TestPki}): the payments
 * service behind TLS and behind mTLS (client certificate required), reached by the gRPC connector and by the
 * transcoder; a wrong CA, a missing client certificate and a wrong server name fail fast as UNAVAILABLE.
 */
class GrpcTlsIT {
    private static final Path CONNECTOR = Path.of("../config/connectors/payments.grpc.yaml").toAbsolutePath().normalize();
    private static final String QUERY = "{ payment(paymentId: \"pay_1001\") { id status } }";
    private static Path dir;
    private static TestPki ca;
    private static TestPki otherCa;
    private static TestPki.Pair client;
    private static TestPki.Pair strangerClient;
    private static RunningService tls;
    private static RunningService mtls;
    private static Supergraph supergraph;
    private static GrpcConnectorProvider provider;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("grpc-tls");
        ca = TestPki.ca(dir, "good");
        otherCa = TestPki.ca(dir, "other");
        TestPki.Pair server = ca.server(dir, "payments");
        client = ca.client(dir, "router");
        strangerClient = otherCa.client(dir, "stranger");
        tls = PaymentsServer.start("127.0.0.1", 0, TlsServerCredentials.newBuilder()
                .keyManager(server.certFile().toFile(), server.keyFile().toFile()).build());
        mtls = PaymentsServer.start("127.0.0.1", 0, TlsServerCredentials.newBuilder()
                .keyManager(server.certFile().toFile(), server.keyFile().toFile())
                .trustManager(ca.caFile.toFile())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build());
        supergraph = GrpcConnectorIT.compose(CONNECTOR);
        provider = new GrpcConnectorProvider(new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.close();
        }
        for (RunningService service : new RunningService[] {tls, mtls}) {
            if (service != null) {
                service.close();
            }
        }
    }

    private static RouterConfig config(int port, String tlsBlock) {
        return GrpcConnectorIT.config(CONNECTOR, "127.0.0.1:" + port, tlsBlock);
    }

    private static SubgraphResponse fetch(RouterConfig config) {
        return provider.connect(supergraph, supergraph.subgraphNamed("payments"), config).orElseThrow()
                .fetch(new SubgraphRequest("payments", URI.create("http://payments.invalid/graphql"), QUERY, null,
                        Map.of(), Duration.ofSeconds(5), Map.of()))
                .toCompletableFuture().join();
    }

    private static void assertAnswered(SubgraphResponse response) {
        assertThat(response.errors()).isEmpty();
        assertThat(response.data()).isEqualTo(Map.of("payment",
                Map.of("id", "pay_1001", "status", "PAYMENT_STATUS_CAPTURED")));
    }

    /** A connection failure, not a hang: the field is null with an UNAVAILABLE error well inside the fetch's 5 s. */
    private static void assertUnavailable(RouterConfig config) {
        long started = System.nanoTime();
        SubgraphResponse response = fetch(config);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(response.data()).isEqualTo(java.util.Collections.singletonMap("payment", null));
        assertThat(response.errors()).singleElement().satisfies(error -> {
            assertThat(((Map<?, ?>) error.get("extensions")).get("code")).isEqualTo("UNAVAILABLE");
            assertThat(error.get("path")).isEqualTo(java.util.List.of("payment"));
        });
    }

    private static String file(Path path) {
        return "\"" + path + "\"";
    }

    @Test
    void theConnectorReachesATlsTargetTrustingItsCa() {
        assertAnswered(fetch(config(tls.port(), "tls: {ca_file: " + file(ca.caFile) + "}")));
        // the name checked against the certificate is server_name, not the target's host
        assertAnswered(fetch(config(tls.port(), "tls: {ca_file: " + file(ca.caFile) + ", server_name: localhost}")));
        assertUnavailable(config(tls.port(), "tls: {ca_file: " + file(ca.caFile) + ", server_name: payments.elsewhere}"));
    }

    @Test
    void aWrongCaOrPlaintextToATlsTargetIsUnavailableNotAHang() {
        assertUnavailable(config(tls.port(), "tls: {ca_file: " + file(otherCa.caFile) + "}"));
        assertUnavailable(config(tls.port(), "tls: {enabled: false}"));
        assertUnavailable(config(tls.port(), ""));
    }

    @Test
    void theConnectorCommandReadsDescriptorsByReflectionOverMtls() {
        String[] base = {"--reflection", "127.0.0.1:" + mtls.port(), "--config", CONNECTOR.toString()};
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        String[] withClient = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.stream.Stream.of(
                "--ca-file", ca.caFile.toString(), "--cert-file", client.certFile().toString(),
                "--key-file", client.keyFile().toString(), "--server-name", "localhost")).toArray(String[]::new);
        assertThat(GrpcConnectorCommand.run(withClient, new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("type Payment").contains("descriptorHash:");
        // without the client certificate the mTLS server refuses: exit 1 with the reason, not a hang
        var refused = new java.io.ByteArrayOutputStream();
        String[] noClient = java.util.stream.Stream.concat(java.util.Arrays.stream(base),
                java.util.stream.Stream.of("--ca-file", ca.caFile.toString())).toArray(String[]::new);
        assertThat(GrpcConnectorCommand.run(noClient, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintStream(refused, true))).isEqualTo(1);
        assertThat(refused.toString()).startsWith("atrium connector grpc: ");
        // plaintext to a TLS server fails too; TLS options with a descriptor set are a usage error
        assertThat(GrpcConnectorCommand.run(base, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))).isEqualTo(1);
        assertThat(GrpcConnectorCommand.run(new String[]{"--descriptor-set", "x.desc", "--tls", "--config", "c.yaml"},
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))).isEqualTo(2);
    }

    @Test
    void anMtlsTargetRefusesAClientWithoutItsCertificateAndAcceptsOneWith() {
        assertUnavailable(config(mtls.port(), "tls: {ca_file: " + file(ca.caFile) + "}"));
        assertUnavailable(config(mtls.port(), "tls: {ca_file: " + file(ca.caFile) + ", cert_file: "
                + file(strangerClient.certFile()) + ", key_file: " + file(strangerClient.keyFile()) + "}"));
        assertAnswered(fetch(config(mtls.port(), "tls: {enabled: true, ca_file: " + file(ca.caFile) + ", cert_file: "
                + file(client.certFile()) + ", key_file: " + file(client.keyFile()) + "}")));
    }

    @Test
    void tlsBlocksAreStrictAndTheirFilesAreCheckedAtLoad() {
        assertThatThrownBy(() -> config(tls.port(), "tls: {ca_file: " + file(ca.caFile) + ", verify: false}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("connectors.grpc.payments.tls.verify");
        assertThatThrownBy(() -> config(tls.port(), "tls: {ca_file: " + file(dir.resolve("absent.pem")) + "}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("connectors.grpc.payments.tls.ca_file")
                .hasMessageContaining("absent.pem");
        assertThatThrownBy(() -> config(tls.port(), "tls: {ca_file: " + file(client.keyFile()) + "}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("connectors.grpc.payments.tls.ca_file");
        assertThatThrownBy(() -> config(tls.port(), "tls: {cert_file: " + file(client.certFile()) + "}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cert_file and key_file go together");
        assertThatThrownBy(() -> config(tls.port(), "tls: {enabled: false, ca_file: " + file(ca.caFile) + "}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("connectors.grpc.payments.tls");
        assertThatThrownBy(() -> TranscodingConfigLoader.parse("""
                format_version: 1
                backends: {payments: {target: "127.0.0.1:1", tls: {authority: x}}}
                """, dir)).isInstanceOf(ConfigException.class).hasMessageContaining("backends.payments.tls.authority");
    }

    @Test
    void theTranscoderReachesAnMtlsBackendAndAnswers503ForAWrongCa() throws Exception {
        String backend = """
                  %s:
                    target: 127.0.0.1:%d
                    descriptor_set: classpath:META-INF/atrium/protos/atrium.desc
                    services: [atrium.payments.v1.Payments]
                    timeout_ms: 4000
                    tls: {ca_file: %s, cert_file: %s, key_file: %s}
                """;
        try (Transcoder good = Transcoder.start(TranscodingConfigLoader.parse("format_version: 1\nhost: 127.0.0.1\n"
                + "port: 0\nbackends:\n" + backend.formatted("payments", mtls.port(), ca.caFile.getFileName(),
                client.certFile().getFileName(), client.keyFile().getFileName()), dir));
             Transcoder wrong = Transcoder.start(TranscodingConfigLoader.parse("format_version: 1\nhost: 127.0.0.1\n"
                + "port: 0\nbackends:\n" + backend.formatted("payments", mtls.port(), otherCa.caFile.getFileName(),
                client.certFile().getFileName(), client.keyFile().getFileName()), dir))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + good.port() + "/v1/payments/pay_1001"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(JsonParser.parseString(ok.body()).getAsJsonObject().get("id").getAsString()).isEqualTo("pay_1001");
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + wrong.port() + "/v1/payments/pay_1001"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(JsonParser.parseString(refused.body()).getAsJsonObject().get("code").getAsInt()).isEqualTo(14);
        }
    }
}
