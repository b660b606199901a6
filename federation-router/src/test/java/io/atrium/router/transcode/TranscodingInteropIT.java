package io.atrium.router.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.testing.integration.TestServiceImpl;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transcoding a gRPC service nobody here wrote: grpc-java's interoperability {@code grpc.testing.TestService}, its
 * descriptors read by server reflection (the server only offers {@code v1alpha}, so the fallback is exercised) and
 * its HTTP rules from a service-config file (it has no annotations): additional bindings, custom verbs and methods,
 * nested and multi-segment variables, {@code response_body}, server streams as NDJSON and SSE, hot reload, and
 * ambiguous rules refused at start.
 */
class TranscodingInteropIT {
    private static final String RULES = """
            type: google.api.Service
            config_version: 3
            http:
              rules:
                - selector: grpc.testing.TestService.EmptyCall
                  post: /v1/empty
                  body: "*"
                - selector: grpc.testing.TestService.UnaryCall
                  post: /v1/unary
                  body: "*"
                  additional_bindings:
                    - post: /v1/unary:withPayload
                      body: payload
                    - get: /v1/sized/{response_size}
                      response_body: payload
                    - get: /v1/echo/{response_status.code}/{response_status.message=msg/**}
                    - custom: {kind: PURGE, path: "/v1/purge/*/{response_size}"}
                - selector: grpc.testing.TestService.StreamingOutputCall
                  post: /v1/stream
                  body: "*"
            """;
    private static ScheduledExecutorService executor;
    private static Server server;
    private static Transcoder transcoder;
    private static Path rules;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        executor = Executors.newSingleThreadScheduledExecutor();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TestServiceImpl(executor))
                .addService(ProtoReflectionService.newInstance())
                .build()
                .start();
        Path dir = Files.createTempDirectory("transcoding-interop");
        rules = dir.resolve("test.service.yaml");
        Files.writeString(rules, RULES);
        transcoder = Transcoder.start(TranscodingConfigLoader.parse(config(server.getPort(), "test.service.yaml"), dir));
    }

    private static String config(int port, String serviceConfig) {
        return """
                format_version: 1
                host: 127.0.0.1
                port: 0
                backends:
                  interop:
                    target: 127.0.0.1:%d
                    service_config: %s
                    reload_interval_ms: 100
                    timeout_ms: 1500
                """.formatted(port, serviceConfig);
    }

    @AfterAll
    static void stop() throws Exception {
        if (transcoder != null) {
            transcoder.close();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        executor.shutdownNow();
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + transcoder.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return send(method, path, null);
    }

    private static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    @Test
    void reflectionFindsTheServiceAndEveryBindingIsRouted() {
        assertThat(transcoder.routes()).contains(
                "POST /v1/unary -> grpc.testing.TestService.UnaryCall",
                "PURGE /v1/purge/*/{response_size} -> grpc.testing.TestService.UnaryCall",
                "POST /v1/stream -> grpc.testing.TestService.StreamingOutputCall");
    }

    @Test
    void bodyStarWithAnEnumAndBytes() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/unary",
                "{\"response_type\":\"COMPRESSABLE\",\"responseSize\":3,\"payload\":{\"body\":\"AAEC\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject payload = json(response).getAsJsonObject("payload");
        assertThat(payload.get("body").getAsString()).as("3 zero bytes in base64").isEqualTo("AAAA");
        HttpResponse<String> empty = send("POST", "/v1/empty", "{}");
        assertThat(empty.body()).isEqualTo("{}");
    }

    @Test
    void aBodyFieldBindingAndACustomVerbOnTheSamePath() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/unary:withPayload", "{\"type\":\"COMPRESSABLE\",\"body\":\"AQ==\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        HttpResponse<String> unknownVerb = send("POST", "/v1/unary:other", "{}");
        assertThat(unknownVerb.statusCode()).isEqualTo(404);
    }

    @Test
    void responseBodySendsOneFieldOfTheResponse() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/sized/2?responseType=COMPRESSABLE");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("body").getAsString()).isEqualTo("AAA=");
        assertThat(json(response).has("payload")).isFalse();
        HttpResponse<String> byNumber = send("GET", "/v1/sized/2?responseType=0");
        assertThat(byNumber.body()).as("an enum by its number").isEqualTo(response.body());
        HttpResponse<String> unknown = send("GET", "/v1/sized/2?responseType=SQUEEZABLE");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).getAsJsonArray("details").get(0).getAsJsonObject().getAsJsonArray("fieldViolations")
                .get(0).getAsJsonObject().get("field").getAsString()).isEqualTo("responseType");
    }

    @Test
    void nestedAndMultiSegmentVariablesCarryTheStatusTheServiceEchoes() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/echo/5/msg/not%20here/at%2Fall");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        JsonObject status = json(response);
        assertThat(status.get("code").getAsInt()).isEqualTo(5);
        assertThat(status.get("message").getAsString()).isEqualTo("msg/not here/at%2Fall");
        HttpResponse<String> exhausted = send("GET", "/v1/echo/8/msg/slow%20down");
        assertThat(exhausted.statusCode()).isEqualTo(429);
        HttpResponse<String> unauthenticated = send("GET", "/v1/echo/16/msg/who");
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
    }

    @Test
    void customMethodWithAWildcardSegment() throws Exception {
        HttpResponse<String> response = send("PURGE", "/v1/purge/anything/1");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).getAsJsonObject("payload").get("body").getAsString()).isEqualTo("AA==");
    }

    @Test
    void serverStreamsAsNdjsonByDefaultAndAsServerSentEventsWhenAsked() throws Exception {
        String request = "{\"responseParameters\":[{\"size\":1},{\"size\":2},{\"size\":3}]}";
        HttpResponse<String> ndjson = send("POST", "/v1/stream", request);
        assertThat(ndjson.statusCode()).isEqualTo(200);
        assertThat(ndjson.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        assertThat(ndjson.body().lines().toList()).containsExactly(
                "{\"payload\":{\"body\":\"AA==\"}}", "{\"payload\":{\"body\":\"AAA=\"}}", "{\"payload\":{\"body\":\"AAAA\"}}");
        HttpResponse<String> sse = send("POST", "/v1/stream", request, "accept", "text/event-stream");
        assertThat(sse.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(sse.body()).startsWith("data: {\"payload\":{\"body\":\"AA==\"}}\n\n").contains("data: {\"payload\":{\"body\":\"AAAA\"}}\n\n");
        // the second message comes after the backend's 1.5 s deadline: the stream ends with the error as its last line
        HttpResponse<String> failing = send("POST", "/v1/stream",
                "{\"responseParameters\":[{\"size\":1},{\"size\":1,\"intervalUs\":4000000}]}");
        assertThat(failing.statusCode()).as("the stream had begun").isEqualTo(200);
        assertThat(failing.body().lines().toList()).as(failing.body()).hasSize(2).last().asString()
                .startsWith("{\"error\":{\"code\":4,");
    }

    @Test
    void aServiceConfigChangeIsPickedUpWithoutARestart() throws Exception {
        assertThat(send("GET", "/v2/empty").statusCode()).isEqualTo(404);
        Files.writeString(rules, RULES.replace("      post: /v1/empty\n",
                "      post: /v1/empty\n      additional_bindings: [{get: /v2/empty}]\n"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        do {
            status = send("GET", "/v2/empty").statusCode();
        } while (status != 200 && System.nanoTime() < deadline && pause());
        assertThat(status).isEqualTo(200);
    }

    /** Polls the condition (the reload tick is 100 ms) without hammering two shared cores. */
    private static boolean pause() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }

    @Test
    void ambiguousRulesAreRefusedAtStart() throws Exception {
        Path dir = Files.createTempDirectory("transcoding-ambiguous");
        Files.writeString(dir.resolve("ambiguous.yaml"), """
                http:
                  rules:
                    - selector: grpc.testing.TestService.EmptyCall
                      get: /v1/thing/*
                    - selector: grpc.testing.TestService.UnaryCall
                      get: /v1/thing/{response_size}
                """);
        assertThatThrownBy(() -> Transcoder.start(TranscodingConfigLoader.parse(config(server.getPort(), "ambiguous.yaml"), dir)))
                .hasMessageContaining("ambiguous");
    }
}
