package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.edge.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API on the admin port: token, readiness, config views, validated atomic reload, file-watch reload. */
class AdminIT {

    private static final String TOKEN = "admin-test-token";

    private TestUpstream upstream;
    private Edge edge;
    private HttpClient http;

    @BeforeEach
    void start() throws IOException {
        upstream = new TestUpstream();
        edge = Edge.start(config("/one", "one"), Map.of("atrium.admin.token", TOKEN, "atrium.edge.watch-config", false));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() throws IOException {
        edge.close();
        upstream.close();
        http.close();
    }

    private String config(String prefix, String name) {
        return """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                clusters:
                  echo:
                    endpoints: [ "%s" ]
                routes:
                  - name: %s
                    match: { path_prefix: %s }
                    cluster: echo
                    auth: { public: true }
                    transform: { request: { headers: { add: { X-Secret-Header: "do-not-show" } } }, response: { json: { remove: [ "$.a" ] } } }
                """.formatted(upstream.url(), name, prefix);
    }

    @Test
    void configEndpointsNeedTheTokenButProbesAndJwksDoNot() throws Exception {
        assertThat(admin("GET", "/config/routes", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = admin("GET", "/config/routes", "nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("ADMIN_UNAUTHORIZED");
        assertThat(admin("POST", "/config/reload", null).statusCode()).isEqualTo(401);

        assertThat(admin("GET", "/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = admin("GET", "/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("READY");
        assertThat(admin("GET", "/.well-known/jwks.json", null).body()).contains("\"kty\":\"EC\"");

        HttpResponse<String> routes = admin("GET", "/config/routes", TOKEN);
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("\"name\":\"one\"", "\"path_prefix\":\"/one\"", "\"public\":true")
                .contains("\"transform\":{\"enforce\":true,\"request\":[\"headers\"],\"response\":[\"json\"]")
                .doesNotContain("do-not-show");
        HttpResponse<String> clusters = admin("GET", "/config/clusters", TOKEN);
        assertThat(clusters.body()).contains("\"name\":\"echo\"", upstream.url());
    }

    @Test
    void reloadSwapsTheRouteTableAndInvalidConfigKeepsTheOldOneServing() throws Exception {
        assertThat(get("/one/x")).isEqualTo(200);

        Files.writeString(edge.configFile(), config("/two", "two"));
        HttpResponse<String> applied = admin("POST", "/config/reload", TOKEN);
        assertThat(applied.statusCode()).isEqualTo(200);
        assertThat(applied.body()).contains("applied");
        assertThat(get("/two/x")).isEqualTo(200);
        assertThat(get("/one/x")).isEqualTo(404);

        Files.writeString(edge.configFile(), config("/three", "three")
                .replace("    endpoints:", "    endpoint_list: [ ]\n    endpoints:")
                .replace("cluster: echo", "cluster: missing"));
        HttpResponse<String> rejected = admin("POST", "/config/reload", TOKEN);
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(rejected.body()).contains("CONFIG_INVALID", "clusters.echo.endpoint_list: unknown key", "routes[0].cluster: unknown cluster 'missing'");
        assertThat(get("/two/x")).as("the previous config keeps serving").isEqualTo(200);
        assertThat(get("/three/x")).isEqualTo(404);
    }

    @Test
    void requestsInFlightFinishOnTheOldTable() throws Exception {
        try (ServerSocket slow = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Files.writeString(edge.configFile(), """
                    format_version: 1
                    listeners: { http: { host: 127.0.0.1, port: 0 } }
                    clusters:
                      echo: { endpoints: [ "%s" ] }
                      slow: { endpoints: [ "http://127.0.0.1:%d" ] }
                    routes:
                      - { name: one, match: { path_prefix: /one }, cluster: echo, auth: { public: true } }
                      - { name: slow, match: { path_prefix: /slow }, cluster: slow, auth: { public: true } }
                    """.formatted(upstream.url(), slow.getLocalPort()));
            assertThat(admin("POST", "/config/reload", TOKEN).statusCode()).isEqualTo(200);

            try (RawHttpClient client = new RawHttpClient(edge.port())) {
                client.send("GET /slow/x HTTP/1.1\r\nHost: x\r\n\r\n");
                try (Socket upstreamSide = slow.accept()) {
                    BufferedReader reader = new BufferedReader(new InputStreamReader(upstreamSide.getInputStream(), StandardCharsets.US_ASCII));
                    String line;
                    while ((line = reader.readLine()) != null && !line.isEmpty()) {
                        // read the request head
                    }
                    // The route and its cluster disappear while the request is in flight.
                    Files.writeString(edge.configFile(), config("/one", "one"));
                    assertThat(admin("POST", "/config/reload", TOKEN).statusCode()).isEqualTo(200);
                    assertThat(get("/slow/y")).isEqualTo(404);

                    OutputStream out = upstreamSide.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    RawHttpClient.Response response = client.read();
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.bodyText()).isEqualTo("late");
                }
            }
        }
    }

    @Test
    void aChangedFileIsReloadedWhenWatched() throws Exception {
        edge.close();
        edge = Edge.start(config("/one", "one"), Map.of("atrium.admin.token", TOKEN));
        Files.writeString(edge.configFile(), config("/watched", "watched"));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status = get("/watched/x");
        while (status != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling for the watcher's reload, not waiting for time to pass
            status = get("/watched/x");
        }
        assertThat(status).isEqualTo(200);
    }

    private int get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(edge.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> admin(String method, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge.adminUrl() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
