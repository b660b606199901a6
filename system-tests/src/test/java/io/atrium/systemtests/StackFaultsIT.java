package io.atrium.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.atrium.systemtests.FaultServer.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults across the stack, against real processes: the edge and the federation router from their runnable jars, the
 * sample products subgraph, and {@link FaultServer}s of this test as the other subgraphs and as an edge upstream.
 * Every case states the client-visible outcome and asserts it, then (after each case) that every process still
 * answers its health check; at the end, that no process logged a stack trace for these expected faults.
 *
 * <pre>
 * client -> edge /graphql -> router -> products (real, twin URLs: a flapping fault server and the real one)
 *                                   -> reviews  (fault server: slow, reset, garbage, HTML pages)
 *                                   -> accounts (dead: nothing listens)
 *        -> edge /up/*    -> fault server (slow, reset, garbage, HTML 502, slow reader)
 *        -> edge /dead/*  -> nothing listens
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StackFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The router's per-attempt subgraph timeout in this stack (router.yaml below). */
    private static final Duration SUBGRAPH_TIMEOUT = Duration.ofMillis(1000);
    private static final String TOP_PRODUCTS_WITH_REVIEWS = "{ topProducts { upc name reviews { body } } }";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<JavaProcess> processes = new ArrayList<>();
    private FaultServer reviews;
    private FaultServer flappingProducts;
    private FaultServer upstream;
    private JavaProcess edge;
    private int edgePort;

    @BeforeAll
    void startStack() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "system-tests", "stack-faults-" + System.currentTimeMillis()))
                .toAbsolutePath();
        int productsPort = JavaProcess.freePort();
        int deadPort = JavaProcess.freePort(); // nothing listens here: a dead subgraph / upstream
        int routerPort = JavaProcess.freePort();
        int routerAdminPort = JavaProcess.freePort();
        edgePort = JavaProcess.freePort();
        int edgeAdminPort = JavaProcess.freePort();
        reviews = new FaultServer();
        upstream = new FaultServer();
        flappingProducts = new FaultServer().mode(Mode.FLAP)
                .twin(URI.create("http://127.0.0.1:" + productsPort + "/graphql"));

        // The sample supergraph with its routing URLs pointed at this stack (what bench/router/subgraphs.sh does).
        String supergraph = Files.readString(Path.of(System.getProperty("supergraph.file")))
                .replace("http://127.0.0.1:4001/graphql", "http://127.0.0.1:" + deadPort + "/graphql")
                .replace("http://127.0.0.1:4002/graphql", "http://127.0.0.1:" + productsPort + "/graphql")
                .replace("http://127.0.0.1:4003/graphql", "http://127.0.0.1:" + deadPort + "/graphql")
                .replace("http://127.0.0.1:4004/graphql", reviews.url("/graphql"));
        Files.writeString(work.resolve("supergraph.graphql"), supergraph);
        Files.writeString(work.resolve("router.yaml"), """
                format_version: 1
                hot_reload: false
                subgraph_defaults:
                  timeout_ms: %d
                subgraphs:
                  products:
                    urls: [ "%s", "http://127.0.0.1:%d/graphql" ]
                  reviews:
                    circuit_breaker: { enabled: false }   # every case asks it afresh
                  accounts:
                    circuit_breaker: { enabled: false }
                """.formatted(SUBGRAPH_TIMEOUT.toMillis(), flappingProducts.url("/graphql"), productsPort));
        Files.writeString(work.resolve("edge.yaml"), """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: %d }
                limits: { request_header_timeout: 1s, request_body_timeout: 1s }
                clusters:
                  router: { endpoints: [ "http://127.0.0.1:%d" ], response_timeout: 10s }
                  upstream: { endpoints: [ "%s" ], response_timeout: 1s }
                  patient: { endpoints: [ "%s" ], response_timeout: 10s }
                  dead: { endpoints: [ "http://127.0.0.1:%d" ], connect_timeout: 500ms }
                routes:
                  - { name: graphql, match: { path_prefix: /graphql }, cluster: router, auth: { public: true } }
                  - { name: upstream, match: { path_prefix: /up }, cluster: upstream, auth: { public: true } }
                  - { name: patient, match: { path_prefix: /patient }, cluster: patient, auth: { public: true } }
                  - { name: dead, match: { path_prefix: /dead }, cluster: dead, auth: { public: true } }
                """.formatted(edgePort, routerPort, upstream.url(""), upstream.url(""), deadPort));

        processes.add(JavaProcess.start("products", "examples.jar",
                List.of("products", "--port", Integer.toString(productsPort)), Map.of(), work,
                URI.create("http://127.0.0.1:" + productsPort + "/health")));
        processes.add(JavaProcess.start("federation-router", "router.jar",
                List.of("--supergraph", work.resolve("supergraph.graphql").toString(),
                        "--config", work.resolve("router.yaml").toString(),
                        "--port", Integer.toString(routerPort), "--admin-port", Integer.toString(routerAdminPort)),
                Map.of(), work, URI.create("http://127.0.0.1:" + routerPort + "/health")));
        edge = JavaProcess.start("edge-proxy", "edge.jar", List.of(),
                Map.of("ATRIUM_PORT", Integer.toString(edgeAdminPort),
                        "ATRIUM_EDGE_CONFIG", work.resolve("edge.yaml").toString()),
                work, URI.create("http://127.0.0.1:" + edgeAdminPort + "/health"));
        processes.add(edge);
        for (JavaProcess process : processes) {
            process.awaitHealthy(http, Duration.ofSeconds(90));
        }
    }

    @AfterEach
    void everyProcessStillHealthy() throws InterruptedException {
        for (JavaProcess process : processes) {
            assertThat(process.alive()).as(process.name + " alive").isTrue();
            assertThat(process.healthStatus(http)).as(process.name + " /health").isEqualTo(200);
        }
    }

    @AfterAll
    void stopStack() throws Exception {
        List<String> stackTraces = JavaProcess.stopAll(processes);
        for (FaultServer server : new FaultServer[] {reviews, flappingProducts, upstream}) {
            if (server != null) {
                server.close();
            }
        }
        http.close();
        assertThat(stackTraces).as("stack traces logged for expected faults").isEmpty();
    }

    // ------------------------------------------------------------------ router -> subgraph, through the edge

    /** Dead subgraph (connection refused): 200, its root field null with SUBGRAPH_REQUEST_FAILED, the rest served. */
    @Test
    void deadSubgraphLeavesItsFieldNullAndServesTheRest() throws Exception {
        JsonNode answer = graphql("{ me { name } topProducts { upc name } }", 200);
        assertThat(answer.at("/data/me").isNull()).isTrue();
        assertThat(answer.at("/data/topProducts")).hasSize(5);
        assertThat(answer.at("/data/topProducts/0/name").asText()).isNotEmpty();
        assertSubgraphFailed(answer, "accounts");
    }

    /** A subgraph slower than the router's timeout: partial data within the timeout budget, not the subgraph's pace. */
    @Test
    void slowSubgraphTimesOutToPartialData() throws Exception {
        reviews.mode(Mode.SLOW);
        long started = System.nanoTime();
        JsonNode answer = graphql(TOP_PRODUCTS_WITH_REVIEWS, 200);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertReviewsNullProductsServed(answer);
        // two attempts of 1 s at most (a query is retried once), far less than the subgraph's 4 s
        assertThat(took).isLessThan(FaultServer.SLOW_FOR);
    }

    /** A subgraph resetting connections: retried once (a query), then partial data with SUBGRAPH_REQUEST_FAILED. */
    @Test
    void resettingSubgraphGivesPartialData() throws Exception {
        reviews.mode(Mode.RESET);
        int before = reviews.connections();
        assertReviewsNullProductsServed(graphql(TOP_PRODUCTS_WITH_REVIEWS, 200));
        assertThat(reviews.connections() - before).as("attempts: the query is retried once").isEqualTo(2);
    }

    /** A subgraph answering bytes that are not HTTP: partial data, the router's parser survives. */
    @Test
    void garbageAnsweringSubgraphGivesPartialData() throws Exception {
        reviews.mode(Mode.GARBAGE);
        assertReviewsNullProductsServed(graphql(TOP_PRODUCTS_WITH_REVIEWS, 200));
    }

    /** A proxy's HTML 502 page in front of the subgraph: partial data; the HTML never reaches the client. */
    @Test
    void htmlErrorPageFromSubgraphGivesPartialData() throws Exception {
        reviews.mode(Mode.HTML_502);
        JsonNode answer = graphql(TOP_PRODUCTS_WITH_REVIEWS, 200);
        assertReviewsNullProductsServed(answer);
        assertThat(answer.toString()).doesNotContain("<html");
    }

    /** An HTML page with status 200 (not a GraphQL answer at all): partial data, not a parse failure of the whole. */
    @Test
    void htmlPageWithOkStatusGivesPartialData() throws Exception {
        reviews.mode(Mode.HTML_200);
        JsonNode answer = graphql(TOP_PRODUCTS_WITH_REVIEWS, 200);
        assertReviewsNullProductsServed(answer);
        assertThat(answer.toString()).doesNotContain("<html").doesNotContain("Please sign in");
    }

    /**
     * A flapping URL (every other connection reset) beside a healthy twin: every query answers full data, no error —
     * the router retries a reset query on the other URL. The flapping URL was really asked (both of its phases).
     */
    @Test
    void flappingTwinUrlIsInvisibleToClients() throws Exception {
        int before = flappingProducts.connections();
        for (int i = 0; i < 12; i++) {
            JsonNode answer = graphql("{ topProducts { upc name price } }", 200);
            assertThat(answer.has("errors")).as("errors in " + answer).isFalse();
            assertThat(answer.at("/data/topProducts")).hasSize(5);
            assertThat(answer.at("/data/topProducts/0/upc").asText()).isNotEmpty();
        }
        assertThat(flappingProducts.connections() - before).as("requests that reached the flapping URL")
                .isGreaterThanOrEqualTo(2);
    }

    // ------------------------------------------------------------------ edge -> upstream

    /** Nothing listens behind the route: 502 UPSTREAM_UNAVAILABLE as problem+json. */
    @Test
    void deadUpstreamIs502ProblemJson() throws Exception {
        assertProblem(get("/dead/orders"), 502, "UPSTREAM_UNAVAILABLE");
    }

    /** An upstream slower than the cluster's response_timeout (1 s): 504 UPSTREAM_TIMEOUT, well before its 4 s. */
    @Test
    void slowUpstreamIs504ProblemJson() throws Exception {
        upstream.mode(Mode.SLOW);
        long started = System.nanoTime();
        HttpResponse<String> response = get("/up/slow");
        assertProblem(response, 504, "UPSTREAM_TIMEOUT");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FaultServer.SLOW_FOR);
    }

    /** An upstream resetting every connection: 502 UPSTREAM_UNAVAILABLE (after the GET's one retry). */
    @Test
    void resettingUpstreamIs502ProblemJson() throws Exception {
        upstream.mode(Mode.RESET);
        int before = upstream.connections();
        assertProblem(get("/up/reset"), 502, "UPSTREAM_UNAVAILABLE");
        assertThat(upstream.connections() - before).as("attempts: a GET is retried once").isEqualTo(2);
    }

    /** An upstream answering bytes that are not HTTP: 502 UPSTREAM_UNAVAILABLE as problem+json. */
    @Test
    void garbageAnsweringUpstreamIs502ProblemJson() throws Exception {
        upstream.mode(Mode.GARBAGE);
        assertProblem(get("/up/garbage"), 502, "UPSTREAM_UNAVAILABLE");
    }

    /** An upstream's own HTML 502 page is the upstream's answer: passed on as it is (502, text/html). */
    @Test
    void upstreamHtmlErrorPageIsPassedOn() throws Exception {
        upstream.mode(Mode.HTML_502);
        HttpResponse<String> response = get("/up/html");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/html");
        assertThat(response.body()).contains("502 Bad Gateway");
    }

    /**
     * An upstream that reads a 1 MiB upload slowly (slow-loris towards the upstream: 8 KiB per 20 ms, at least 2.5 s)
     * behind a route with a 10 s response timeout: the upload arrives whole, and while it is still going the edge
     * answers a GraphQL query and its health check (one slow exchange holds no one else up).
     */
    @Test
    void slowReadingUpstreamGetsTheWholeBodyWhileTheEdgeServesOthers() throws Exception {
        upstream.mode(Mode.SLOW_READER);
        byte[] body = new byte[1024 * 1024];
        CompletableFuture<HttpResponse<String>> upload = upload("/patient/upload", body);
        JsonNode other = graphql("{ topProducts { upc } }", 200);
        assertThat(other.at("/data/topProducts")).hasSize(5);
        assertThat(edge.healthStatus(http)).isEqualTo(200);
        assertThat(upload).as("the slow upload is still going").isNotDone();
        HttpResponse<String> response = upload.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("received " + body.length);
        assertThat(upstream.lastBodyBytes()).isEqualTo(body.length);
    }

    /**
     * The same slow reader behind the 1 s route: the response timeout runs from the end of the client's request (the
     * edge and the sockets buffered it), as Envoy's route timeout does, so the client gets 504 UPSTREAM_TIMEOUT.
     */
    @Test
    void slowReadingUpstreamPastTheResponseTimeoutIs504() throws Exception {
        upstream.mode(Mode.SLOW_READER);
        int before = upstream.connections();
        HttpResponse<String> response = upload("/up/upload", new byte[512 * 1024]).get(30, TimeUnit.SECONDS);
        assertProblem(response, 504, "UPSTREAM_TIMEOUT");
        assertThat(upstream.connections() - before).as("a POST is never sent twice").isEqualTo(1);
    }

    /** A client that never finishes its request head (slow-loris): 408 REQUEST_TIMEOUT after 1 s, connection closed. */
    @Test
    void slowLorisRequestHeadIs408() throws Exception {
        String answer = stall("GET /up/x HTTP/1.1\r\nHost: edge\r\nX-Slow: ");
        assertThat(answer).startsWith("HTTP/1.1 408").contains("REQUEST_TIMEOUT");
        assertThat(upstreamRequestsDuring(() -> stall("GET /up/y HTTP/1.1\r\nHost: edge\r\n"))).isZero();
    }

    /** A client that stops sending its declared body: 408 REQUEST_TIMEOUT after 1 s of silence, connection closed. */
    @Test
    void slowLorisRequestBodyIs408() throws Exception {
        upstream.mode(Mode.OK);
        String answer = stall("POST /up/body HTTP/1.1\r\nHost: edge\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 1000\r\n\r\nonly ten b");
        assertThat(answer).contains("408").contains("REQUEST_TIMEOUT");
    }

    // ------------------------------------------------------------------ helpers

    private void assertReviewsNullProductsServed(JsonNode answer) {
        JsonNode products = answer.at("/data/topProducts");
        assertThat(products).as("partial data in " + answer).hasSize(5);
        for (JsonNode product : products) {
            assertThat(product.get("upc").asText()).isNotEmpty();
            assertThat(product.get("name").asText()).isNotEmpty();
            assertThat(product.get("reviews").isNull()).as("reviews of " + product).isTrue();
        }
        assertSubgraphFailed(answer, "reviews");
    }

    private static void assertSubgraphFailed(JsonNode answer, String subgraph) {
        JsonNode errors = answer.get("errors");
        assertThat(errors).as("errors in " + answer).isNotNull().isNotEmpty();
        for (JsonNode error : errors) {
            assertThat(error.at("/extensions/code").asText()).as(error.toString()).isEqualTo("SUBGRAPH_REQUEST_FAILED");
            assertThat(error.at("/extensions/serviceName").asText()).isEqualTo(subgraph);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("code").asText()).isEqualTo(code);
    }

    private JsonNode graphql(String query, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(edgeUri("/graphql"))
                        .timeout(Duration.ofSeconds(15)).header("content-type", "application/json")
                        .header("accept", "application/graphql-response+json, application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query))))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(edgeUri(path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> upload(String path, byte[] body) {
        return http.sendAsync(HttpRequest.newBuilder(edgeUri(path)).timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI edgeUri(String path) {
        return URI.create("http://127.0.0.1:" + edgePort + path);
    }

    /** Sends {@code partial} and stops; returns what the edge answers before it closes the connection (5 s bound). */
    private String stall(String partial) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", edgePort), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(partial.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // until the edge closes
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private int upstreamRequestsDuring(Action action) throws Exception {
        int before = upstream.connections();
        action.run();
        return upstream.connections() - before;
    }
}
