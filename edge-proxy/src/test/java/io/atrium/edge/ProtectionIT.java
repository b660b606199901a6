package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.edge.testing.TestUpstream;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Protocol protection over raw HTTP/1.1: size limits, ambiguous framing, CORS, IP filters. Nothing refused reaches the upstream. */
class ProtectionIT {

    private static TestUpstream upstream;
    private static Edge edge;

    @BeforeAll
    static void start() throws IOException {
        upstream = new TestUpstream();
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                limits:
                  max_request_body: 1KiB
                  max_header_size: 4KiB
                auth:
                  api_keys:
                    consumers: [ { name: app, key_sha256: "%s" } ]
                clusters:
                  echo:
                    endpoints: [ "%s" ]
                routes:
                  - name: small
                    match: { path_prefix: /small }
                    cluster: echo
                    auth: { public: true }
                  - name: large
                    match: { path_prefix: /large }
                    cluster: echo
                    auth: { public: true }
                    max_request_body: 64KiB
                  - name: cors
                    match: { path_prefix: /cors }
                    cluster: echo
                    auth: { public: true }
                    cors:
                      allow_origins: [ "https://app.example" ]
                      allow_methods: [ GET, POST ]
                      allow_headers: [ Authorization, Content-Type ]
                      expose_headers: [ X-Request-Id ]
                      allow_credentials: true
                      max_age: 5m
                  - name: cors-private
                    match: { path_prefix: /private }
                    cluster: echo
                    cors: { allow_origins: [ "*" ] }
                  - name: denied
                    match: { path_prefix: /denied }
                    cluster: echo
                    auth: { public: true }
                    ip_filter: { deny: [ "127.0.0.0/8" ] }
                  - name: allow-elsewhere
                    match: { path_prefix: /elsewhere }
                    cluster: echo
                    auth: { public: true }
                    ip_filter: { allow: [ "10.0.0.0/8", "fd00::/8" ] }
                  - name: allow-loopback
                    match: { path_prefix: /loopback }
                    cluster: echo
                    auth: { public: true }
                    ip_filter: { allow: [ "127.0.0.1/32" ], deny: [ "10.0.0.0/8" ] }
                """.formatted(ApiKeyAuthenticator.digestHex("k"), upstream.url()));
    }

    @AfterAll
    static void stop() throws IOException {
        edge.close();
        upstream.close();
    }

    @BeforeEach
    void clear() {
        upstream.clear();
    }

    @Test
    void declaredBodyOverTheLimitGets413BeforeTheUpstreamIsContacted() throws Exception {
        RawHttpClient.Response response = exchange("POST /small/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.bodyText()).contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
        assertThat(response.header("connection")).isEqualTo("close");
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void chunkedBodyIsCountedWhileStreamingAndAbortedWhenItCrossesTheLimit() throws Exception {
        String chunk = "258\r\n" + "a".repeat(600) + "\r\n";
        RawHttpClient.Response response = exchange("POST /small/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk);

        assertThat(response.status()).isEqualTo(413);
        assertThat(upstream.pollRequest()).as("no complete request reached the upstream").isNull();
    }

    @Test
    void bodiesWithinARouteSpecificLimitPass() throws Exception {
        String body = "b".repeat(5000);
        RawHttpClient.Response response = exchange("POST /large/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + body);

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.takeRequest().body()).hasSize(5000);
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        RawHttpClient.Response response = exchange("GET /small/x HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(5000) + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(431);
        assertThat(response.bodyText()).contains("\"code\":\"REQUEST_HEADERS_TOO_LARGE\"");
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void ambiguousFramingIsRefusedBeforeAnythingReachesAnUpstream() throws Exception {
        RawHttpClient.Response both = exchange("POST /large/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.bodyText()).contains("\"code\":\"BAD_REQUEST\"")
                .contains("\"detail\":\"The request has both Content-Length and Transfer-Encoding, so its length is ambiguous");

        RawHttpClient.Response conflicting = exchange("POST /large/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        assertThat(conflicting.status()).isEqualTo(400);

        RawHttpClient.Response duplicate = exchange("POST /large/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(duplicate.status()).isEqualTo(400);

        RawHttpClient.Response notLastChunked = exchange("POST /large/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n");
        assertThat(notLastChunked.status()).isEqualTo(400);
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void corsPreflightIsAnsweredAtTheEdge() throws Exception {
        RawHttpClient.Response allowed = exchange("OPTIONS /cors/x HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n"
                + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type, authorization\r\n\r\n");
        assertThat(allowed.status()).isEqualTo(204);
        assertThat(allowed.header("access-control-allow-origin")).isEqualTo("https://app.example");
        assertThat(allowed.header("access-control-allow-methods")).isEqualTo("GET, POST");
        assertThat(allowed.header("access-control-allow-headers")).isEqualTo("Authorization, Content-Type");
        assertThat(allowed.header("access-control-allow-credentials")).isEqualTo("true");
        assertThat(allowed.header("access-control-max-age")).isEqualTo("300");

        RawHttpClient.Response otherOrigin = exchange("OPTIONS /cors/x HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n"
                + "Access-Control-Request-Method: POST\r\n\r\n");
        assertThat(otherOrigin.status()).isEqualTo(403);
        assertThat(otherOrigin.bodyText()).contains("\"code\":\"CORS_REJECTED\"");
        assertThat(otherOrigin.header("access-control-allow-origin")).isNull();

        RawHttpClient.Response otherMethod = exchange("OPTIONS /cors/x HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n"
                + "Access-Control-Request-Method: DELETE\r\n\r\n");
        assertThat(otherMethod.status()).isEqualTo(403);
        assertThat(upstream.pollRequest()).isNull();
    }

    @Test
    void actualCorsRequestsGetAllowHeadersAlsoOnErrors() throws Exception {
        RawHttpClient.Response ok = exchange("GET /cors/x HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n\r\n");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("access-control-allow-origin")).isEqualTo("https://app.example");
        assertThat(ok.header("access-control-expose-headers")).isEqualTo("X-Request-Id");
        assertThat(ok.header("vary")).contains("Origin");

        RawHttpClient.Response foreign = exchange("GET /cors/x HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\r\n");
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.header("access-control-allow-origin")).isNull();

        RawHttpClient.Response unauthenticated = exchange("GET /private/x HTTP/1.1\r\nHost: x\r\nOrigin: https://any.example\r\n\r\n");
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.header("access-control-allow-origin")).isEqualTo("*");
    }

    @Test
    void ipFiltersUseThePeerAddress() throws Exception {
        RawHttpClient.Response denied = exchange("GET /denied/x HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.bodyText()).contains("\"code\":\"CLIENT_ADDRESS_DENIED\"");

        RawHttpClient.Response notListed = exchange("GET /elsewhere/x HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n");
        assertThat(notListed.status()).as("X-Forwarded-For does not count").isEqualTo(403);
        assertThat(upstream.pollRequest()).isNull();

        RawHttpClient.Response listed = exchange("GET /loopback/x HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(listed.status()).isEqualTo(200);
    }

    private static RawHttpClient.Response exchange(String request) throws IOException {
        try (RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send(request);
            return client.read();
        }
    }
}
