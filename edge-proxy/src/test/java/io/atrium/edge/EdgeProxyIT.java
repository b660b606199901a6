package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.edge.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The data path end to end on loopback: pass-through, header rules, request ids, errors, connection reuse. */
class EdgeProxyIT {

    private static final long HANG_TIMEOUT_MS = 500;

    private static TestUpstream upstream;
    private static ServerSocket hanging;
    private static final List<Socket> hangingConnections = new CopyOnWriteArrayList<>();
    private static Edge edge;
    private static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        upstream = new TestUpstream();
        hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(EdgeProxyIT::acceptAndNeverAnswer);
        int deadPort;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = closed.getLocalPort();
        }
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                clusters:
                  echo:
                    endpoints: [ "%s" ]
                  dead:
                    endpoints: [ "http://127.0.0.1:%d" ]
                  hanging:
                    endpoints: [ "http://127.0.0.1:%d" ]
                    response_timeout: %dms
                routes:
                  - name: orders
                    match: { path_prefix: /api/v1/orders }
                    cluster: echo
                    auth: { public: true }
                    prefix_rewrite: /orders
                  - name: strip
                    match: { path_prefix: /strip }
                    cluster: echo
                    auth: { public: true }
                    prefix_rewrite: /
                  - name: plain
                    match: { path_prefix: /plain }
                    cluster: echo
                    auth: { public: true }
                  - name: dead
                    match: { path_prefix: /dead }
                    cluster: dead
                    auth: { public: true }
                  - name: hang
                    match: { path_prefix: /hang }
                    cluster: hanging
                    auth: { public: true }
                """.formatted(upstream.url(), deadPort, hanging.getLocalPort(), HANG_TIMEOUT_MS));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void acceptAndNeverAnswer() {
        while (!hanging.isClosed()) {
            try {
                hangingConnections.add(hanging.accept());
            } catch (IOException e) {
                return;
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        http.close();
        edge.close();
        upstream.close();
        hanging.close();
        for (Socket s : hangingConnections) {
            s.close();
        }
    }

    @BeforeEach
    void clearUpstream() {
        upstream.clear();
    }

    @Test
    void getPassesThroughWithRewrittenPathQueryAndForwardingHeaders() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/api/v1/orders/7?x=1&y=a%20b"))
                .header("X-Custom", "kept")
                .header("X-Forwarded-For", "10.1.2.3")
                .header("Accept", "text/plain")
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("echo:");
        assertThat(response.headers().firstValue("x-upstream")).hasValue("yes");
        assertThat(response.headers().firstValue("via")).hasValue("1.1 atrium");
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.uri()).isEqualTo("/orders/7?x=1&y=a%20b");
        assertThat(seen.header("X-Custom")).isEqualTo("kept");
        assertThat(seen.header("Accept")).isEqualTo("text/plain");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("10.1.2.3, 127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + edge.port());
        assertThat(seen.header("Via")).isEqualTo("1.1 atrium");
        assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + upstream.port());
    }

    @Test
    void postPassesMethodBodyAndContentTypeThrough() throws Exception {
        String json = "{\"item\":\"book\",\"qty\":2}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/strip/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("echo:" + json);
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.uri()).isEqualTo("/orders");
        assertThat(seen.bodyText()).isEqualTo(json);
        assertThat(seen.header("Content-Type")).isEqualTo("application/json");
        assertThat(seen.header("Content-Length")).isEqualTo(String.valueOf(json.length()));
    }

    @Test
    void routesMatchWholeSegmentsAndStripRewritesToRoot() throws Exception {
        assertThat(get("/api/v1/ordersX").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/orders").statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest().uri()).isEqualTo("/orders");
        assertThat(get("/api/v1/orders?page=2").statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest().uri()).isEqualTo("/orders?page=2");
        assertThat(get("/strip").statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest().uri()).isEqualTo("/");
        assertThat(get("/strip?q=1").statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest().uri()).isEqualTo("/?q=1");
        assertThat(get("/plain/a/b").statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest().uri()).isEqualTo("/plain/a/b");
    }

    @Test
    void hopByHopHeadersAreRemovedInBothDirections() throws Exception {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("""
                    GET /plain/hop HTTP/1.1\r
                    Host: edge.test\r
                    Connection: keep-alive, X-Client-Hop\r
                    X-Client-Hop: must-not-reach-upstream\r
                    Keep-Alive: timeout=5\r
                    TE: trailers\r
                    Trailer: X-Checksum\r
                    Upgrade: h2c\r
                    Proxy-Connection: keep-alive\r
                    Proxy-Authorization: Basic c2VjcmV0\r
                    X-End-To-End: kept\r
                    \r
                    """);
            RawHttpClient.Response response = client.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.head().headers()).doesNotContainKeys("x-upstream-hop", "keep-alive", "proxy-connection", "connection");
            assertThat(response.header("x-upstream")).isEqualTo("yes");
            assertThat(response.header("content-length")).isEqualTo("5");
        }
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.headers()).doesNotContainKeys("x-client-hop", "keep-alive", "te", "trailer", "upgrade",
                "proxy-connection", "proxy-authorization");
        assertThat(seen.header("X-End-To-End")).isEqualTo("kept");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("edge.test");
    }

    @Test
    void requestIdIsGeneratedWhenAbsentAndEchoed() throws Exception {
        HttpResponse<String> response = get("/plain/id");

        String echoed = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(echoed).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(upstream.takeRequest().header("X-Request-Id")).isEqualTo(echoed);
        assertThat(get("/plain/id").headers().firstValue("x-request-id")).isNotEqualTo(java.util.Optional.of(echoed));
    }

    @Test
    void wellFormedRequestIdIsKeptAndMalformedOneReplaced() throws Exception {
        HttpResponse<String> kept = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/plain/id"))
                .header("X-Request-Id", "client-abc.123").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(kept.headers().firstValue("x-request-id")).hasValue("client-abc.123");
        assertThat(upstream.takeRequest().header("X-Request-Id")).isEqualTo("client-abc.123");

        HttpResponse<String> replaced = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/plain/id"))
                .header("X-Request-Id", "bad id; <script>").build(), HttpResponse.BodyHandlers.ofString());
        String id = replaced.headers().firstValue("x-request-id").orElseThrow();
        assertThat(id).isNotEqualTo("bad id; <script>").hasSize(36);
        assertThat(upstream.takeRequest().header("X-Request-Id")).isEqualTo(id);
    }

    @Test
    void unknownRouteIsA404ProblemAndNeverReachesAnUpstream() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/nowhere/x?secret=1"))
                .header("X-Request-Id", "rid-404").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("x-request-id")).hasValue("rid-404");
        assertThat(response.body())
                .contains("\"type\":\"urn:atrium:problem:route-not-found\"")
                .contains("\"status\":404")
                .contains("\"code\":\"ROUTE_NOT_FOUND\"")
                .contains("\"instance\":\"/nowhere/x\"")
                .contains("\"request_id\":\"rid-404\"")
                .contains("\"title\":")
                .contains("\"detail\":");
        // The connection stays usable after a rejected bodyless request.
        assertThat(get("/plain/after-404").statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest().uri()).isEqualTo("/plain/after-404");
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void dotSegmentsAreRejectedAs400() throws Exception {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /plain/../admin HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).contains("\"code\":\"BAD_REQUEST\"");
        }
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void malformedRequestIsA400ProblemAndTheConnectionIsClosed() throws Exception {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /plain/x HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("content-type")).isEqualTo("application/problem+json");
            assertThat(response.bodyText()).contains("\"code\":\"BAD_REQUEST\"");
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void deadUpstreamIsA502Problem() throws Exception {
        HttpResponse<String> response = get("/dead/x");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"code\":\"UPSTREAM_UNAVAILABLE\"").contains("\"instance\":\"/dead/x\"");
    }

    @Test
    void hangingUpstreamIsA504ProblemAfterTheResponseTimeout() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = get("/hang/x");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("\"code\":\"UPSTREAM_TIMEOUT\"");
        assertThat(elapsedMs).isBetween(HANG_TIMEOUT_MS, HANG_TIMEOUT_MS + 2000);
    }

    @Test
    void sequentialRequestsReuseAFewUpstreamConnections() throws Exception {
        long openedBefore = edge.dataPlane().stats().upstreamConnectionsOpened();
        Set<Integer> upstreamSidePorts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            assertThat(get("/plain/reuse/" + i).statusCode()).isEqualTo(200);
            upstreamSidePorts.add(upstream.takeRequest().remotePort());
        }
        assertThat(upstreamSidePorts).hasSizeLessThanOrEqualTo(2);
        assertThat(edge.dataPlane().stats().upstreamConnectionsOpened() - openedBefore).isLessThanOrEqualTo(2);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /plain/one HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /plain/two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "HEAD /plain/three HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /plain/five HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("echo:");
            assertThat(client.read().bodyText()).isEqualTo("echo:abc");
            RawHttpClient.Response head = client.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(client.read().status()).isEqualTo(404);
            RawHttpClient.Response last = client.read();
            assertThat(last.bodyText()).isEqualTo("echo:");
            assertThat(last.header("connection")).isEqualTo("close");
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(List.of(upstream.takeRequest().uri(), upstream.takeRequest().uri(), upstream.takeRequest().uri(),
                upstream.takeRequest().uri())).containsExactly("/plain/one", "/plain/two", "/plain/three", "/plain/five");
    }

    @Test
    void healthIsUpOnTheAdminPort() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.adminPort() + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(edge.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
