package io.atrium.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.TwoProtocols;
import io.atrium.edge.testing.TwoProtocols.Protocol;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Request and response transformations end to end over HTTP/1.1 and HTTP/2 (TLS): headers, query, path with captures,
 * upstream Host, response headers, JSON bodies (fixed length and chunked; larger than the buffer in both failure modes),
 * report-only, and global defaults overridden per route.
 */
class TransformIT {

    private static final String KEY = "transform-it-key-0123456789";
    private static final String DOC = "{\"id\":7,\"secret\":\"s\",\"price\":10.50,\"items\":[{\"id\":1,\"token\":\"t1\"},{\"id\":2,\"token\":\"t2\"}]}";

    record Seen(String uri, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null ? null : String.join(",", values);
        }
    }

    private static HttpServer upstream;
    private static ExecutorService executor;
    private static final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private static TwoProtocols protocols;
    private static Edge edge;

    @BeforeAll
    static void start() throws Exception {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        upstream.createContext("/", TransformIT::answer);
        upstream.setExecutor(executor);
        upstream.start();
        protocols = new TwoProtocols();
        String json = "response: { json: { remove: [ \"$.secret\", \"$.items[*].token\" ], rename: { \"$.id\": identifier }, max_body: 512B, on_too_large: %s } }";
        edge = Edge.start("""
                format_version: 1
                %s
                auth:
                  api_keys: { consumers: [ { name: shop-app, key_sha256: "%s" } ] }
                transform:
                  response: { headers: { add: { X-Gateway: atrium } } }
                clusters:
                  json: { endpoints: [ "http://127.0.0.1:%d" ] }
                routes:
                  - name: users
                    match: { path_prefix: /users }
                    cluster: json
                    transform:
                      request:
                        headers:
                          add: { X-Source: "edge", X-Caller: "{consumer}", X-Request: "{request_id}", X-From-Query: "{query.lang}" }
                          append: { X-Tag: "{route}" }
                          replace: { X-Env: prod }
                          remove: [ X-Internal ]
                          rename: { X-Old: X-New }
                        query:
                          add: { v: "2" }
                          remove: [ debug ]
                          rename: { lang: locale }
                          replace: { mode: "{header.X-Mode}" }
                        path: { pattern: "/users/{id}/{rest*}", template: "/v2/accounts/{path.id}/{path.rest}" }
                        host: "tenant-{header.X-Tenant}.internal"
                      response:
                        headers: { add: { X-Served-By: "{route}" }, replace: { X-Powered-By: hidden }, remove: [ X-Debug ] }
                  - name: json-pass
                    match: { path_prefix: /pass }
                    cluster: json
                    auth: { public: true }
                    transform: { %s }
                  - name: json-reject
                    match: { path_prefix: /reject }
                    cluster: json
                    auth: { public: true }
                    transform: { %s }
                  - name: json-stream
                    match: { path_prefix: /stream }
                    cluster: json
                    auth: { public: true }
                    transform: { %s }
                  - name: json-allow
                    match: { path_prefix: /allow }
                    cluster: json
                    auth: { public: true }
                    transform: { response: { json: { allow: [ "$.id", "$.items[*].id" ] } } }
                  - name: report-only
                    match: { path_prefix: /report }
                    cluster: json
                    auth: { public: true }
                    transform: { enforce: false, request: { headers: { add: { X-Would: add } } }, response: { json: { remove: [ "$.secret" ] } } }
                  - name: untouched
                    match: { path_prefix: /plain }
                    cluster: json
                    auth: { public: true }
                    transform: { enabled: false }
                """.formatted(protocols.listeners(), ApiKeyAuthenticator.digestHex(KEY), upstream.getAddress().getPort(),
                json.formatted("pass"), json.formatted("reject"), json.formatted("stream")));
        protocols.use(edge);
    }

    @AfterAll
    static void stop() throws Exception {
        edge.close();
        protocols.close();
        upstream.stop(0);
        executor.shutdownNow();
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    /** JSON (or text for /plain) by path: {@code ?chunked} answers without a length, {@code ?items=N} makes a large document. */
    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
            seen.add(new Seen(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()), headers));
            String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
            String body = DOC;
            if (query.contains("items=")) {
                int n = Integer.parseInt(query.substring(query.indexOf("items=") + 6).split("&")[0]);
                StringBuilder big = new StringBuilder("{\"id\":1,\"secret\":\"s\",\"items\":[");
                for (int i = 0; i < n; i++) {
                    big.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"token\":\"").append("x".repeat(40)).append("\"}");
                }
                body = big.append("]}").toString();
                if (query.contains("truncate")) {
                    body = body.substring(0, body.length() - 2);
                }
            } else if (query.contains("broken")) {
                body = "{\"id\":1,";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("X-Powered-By", "upstream");
            exchange.getResponseHeaders().set("X-Debug", "internal");
            boolean chunked = query.contains("chunked");
            exchange.sendResponseHeaders(200, chunked ? 0 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < bytes.length; i += 100) {
                    out.write(bytes, i, Math.min(100, bytes.length - i));
                    out.flush();
                }
            }
        }
    }

    private static Seen takeSeen() throws InterruptedException {
        Seen s = seen.poll(5, TimeUnit.SECONDS);
        assertThat(s).as("the upstream received a request").isNotNull();
        return s;
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void requestHeadersQueryPathAndHostAreTransformed(Protocol protocol) throws Exception {
        HttpResponse<String> response = protocols.send(protocol, protocols.request(protocol, "/users/42/orders/7?debug=1&lang=de&mode=m&x=1")
                .header("X-API-Key", KEY).header("X-Internal", "secret").header("X-Old", "o").header("X-Env", "dev")
                .header("X-Mode", "fast").header("X-Tenant", "acme"));

        assertThat(response.statusCode()).isEqualTo(200);
        Seen request = takeSeen();
        assertThat(request.uri()).isEqualTo("/v2/accounts/42/orders/7?locale=de&mode=fast&x=1&v=2");
        assertThat(request.header("host")).isEqualTo("tenant-acme.internal");
        assertThat(request.header("x-source")).isEqualTo("edge");
        assertThat(request.header("x-caller")).isEqualTo("shop-app");
        assertThat(request.header("x-request")).isEqualTo(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(request.header("x-from-query")).isEqualTo("de");
        assertThat(request.header("x-tag")).isEqualTo("users");
        assertThat(request.header("x-env")).isEqualTo("prod");
        assertThat(request.header("x-internal")).isNull();
        assertThat(request.header("x-old")).isNull();
        assertThat(request.header("x-new")).isEqualTo("o");
        assertThat(request.header("x-api-key")).isNull();
        assertThat(request.header("x-atrium-consumer")).isEqualTo("shop-app");

        assertThat(response.headers().firstValue("x-served-by")).hasValue("users");
        assertThat(response.headers().firstValue("x-powered-by")).hasValue("hidden");
        assertThat(response.headers().firstValue("x-debug")).isEmpty();
        assertThat(response.headers().firstValue("x-gateway")).as("the route's response block replaces the global one").isEmpty();
        assertThat(response.body()).isEqualTo(DOC);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void jsonFieldsAreRemovedAndRenamedInFixedLengthAndChunkedResponses(Protocol protocol) throws Exception {
        String expected = "{\"identifier\":7,\"price\":10.50,\"items\":[{\"id\":1},{\"id\":2}]}";
        for (String path : List.of("/pass/doc", "/pass/doc?chunked")) {
            HttpResponse<String> response = protocols.send(protocol, protocols.request(protocol, path));
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo(expected);
            assertThat(response.headers().firstValue("content-length")).as(path).hasValue(Integer.toString(expected.length()));
            assertThat(response.headers().firstValue("x-gateway")).as("global default").hasValue("atrium");
        }
        HttpResponse<String> allowed = protocols.send(protocol, protocols.request(protocol, "/allow/doc?chunked"));
        assertThat(allowed.body()).isEqualTo("{\"id\":7,\"items\":[{\"id\":1},{\"id\":2}]}");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void bodiesLargerThanTheBufferPassUnchangedOrGet502(Protocol protocol) throws Exception {
        for (String query : List.of("?items=40", "?items=40&chunked")) {
            HttpResponse<String> passed = protocols.send(protocol, protocols.request(protocol, "/pass/big" + query));
            assertThat(passed.statusCode()).as(query).isEqualTo(200);
            assertThat(passed.body()).as(query).startsWith("{\"id\":1,\"secret\":\"s\"").contains("\"token\"").endsWith("]}");
            assertThat(passed.body().length()).isGreaterThan(512);

            HttpResponse<String> rejected = protocols.send(protocol, protocols.request(protocol, "/reject/big" + query));
            assertThat(rejected.statusCode()).as(query).isEqualTo(502);
            assertThat(rejected.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(rejected.body()).contains("\"code\":\"UPSTREAM_RESPONSE_TOO_LARGE\"");
        }
        // The connection stays usable for the next exchange.
        assertThat(protocols.send(protocol, protocols.request(protocol, "/reject/doc")).body()).contains("\"identifier\":7");
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(edge.adminUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("atrium_policy_transform_body_too_large_passed_total\\{[^}]*route=\"json-pass\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("atrium_policy_transform_body_too_large_rejected_total\\{[^}]*route=\"json-reject\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("atrium_policy_transform_body_transformed_total\\{[^}]*route=\"json-reject\"[^}]*} [1-9]");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void bodiesLargerThanTheBufferAreTransformedWhileTheyStream(Protocol protocol) throws Exception {
        StringBuilder expected = new StringBuilder("{\"identifier\":1,\"items\":[");
        for (int i = 0; i < 40; i++) {
            expected.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append('}');
        }
        expected.append("]}");
        for (String query : List.of("?items=40", "?items=40&chunked")) {
            HttpResponse<String> streamed = protocols.send(protocol, protocols.request(protocol, "/stream/big" + query));
            assertThat(streamed.statusCode()).as(query).isEqualTo(200);
            assertThat(streamed.body()).as(query).isEqualTo(expected.toString());
            assertThat(streamed.headers().firstValue("content-length")).as("the length is unknown until the end").isEmpty();
        }
        // Small bodies on the same route are still held and sent with their new length.
        HttpResponse<String> small = protocols.send(protocol, protocols.request(protocol, "/stream/doc?chunked"));
        assertThat(small.headers().firstValue("content-length")).isPresent();
        // Malformed JSON found after the head went out: the connection is cut rather than a body passed as valid.
        assertThatThrownBy(() -> protocols.send(protocol, protocols.request(protocol, "/stream/big?items=40&chunked&truncate")))
                .isInstanceOf(java.io.IOException.class);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void malformedJsonPassesUnchanged(Protocol protocol) throws Exception {
        HttpResponse<String> response = protocols.send(protocol, protocols.request(protocol, "/pass/x?broken&chunked"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":1,");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void reportOnlyAndDisabledRoutesChangeNothing(Protocol protocol) throws Exception {
        HttpResponse<String> reported = protocols.send(protocol, protocols.request(protocol, "/report/doc"));
        assertThat(reported.body()).isEqualTo(DOC);
        assertThat(takeSeen().header("x-would")).isNull();

        HttpResponse<String> plain = protocols.send(protocol, protocols.request(protocol, "/plain/doc"));
        assertThat(plain.body()).isEqualTo(DOC);
        assertThat(plain.headers().firstValue("x-gateway")).isEmpty();
        assertThat(plain.headers().firstValue("x-debug")).hasValue("internal");
    }
}
