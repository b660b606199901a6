package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.RawHttpClient;
import io.atrium.edge.testing.ScriptedUpstream;
import io.atrium.edge.testing.TestUpstream;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstreams that break the rules or go away at awkward moments. */
class UpstreamFailureIT {

    private static String config(String url) {
        return """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                clusters:
                  up: { endpoints: [ "%s" ] }
                routes:
                  - { name: up, match: { path_prefix: / }, cluster: up, auth: { public: true } }
                """.formatted(url);
    }

    @Test
    void upstreamFailingAfterTheResponseHeadClosesTheClientConnection() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
             Edge edge = Edge.start(config(upstream.url()));
             RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttpClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(client.input().readNBytes(100)).hasSize(10);
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void upstreamClosingWithoutAResponseIsA502() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream("");
             Edge edge = Edge.start(config(upstream.url()));
             RawHttpClient client = new RawHttpClient(edge.port())) {
            client.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).contains("\"code\":\"UPSTREAM_UNAVAILABLE\"");
            // The edge answered the whole request, so the client connection stays usable.
            client.send("GET /y HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(502);
        }
    }

    @Test
    void keepAliveConnectionsTheUpstreamClosesAreNotUsedForLaterRequests() throws Exception {
        // Promises keep-alive, then closes every connection after one response.
        try (ScriptedUpstream upstream = new ScriptedUpstream("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             Edge edge = Edge.start(config(upstream.url()));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/r/" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
                assertThat(response.body()).isEqualTo("ok");
            }
            assertThat(upstream.requests()).isGreaterThanOrEqualTo(30);
        }
    }

    @Test
    void expectContinueIsAnsweredByTheEdgeAndTheBodyFlows() throws Exception {
        try (TestUpstream upstream = new TestUpstream();
             Edge edge = Edge.start(config(upstream.url()));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/upload"))
                    .expectContinue(true).POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("echo:payload");
            TestUpstream.Recorded seen = upstream.takeRequest();
            assertThat(seen.header("Expect")).isNull();
            assertThat(seen.bodyText()).isEqualTo("payload");
        }
    }
}
