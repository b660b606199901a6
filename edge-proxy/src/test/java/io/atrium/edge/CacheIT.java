package io.atrium.edge;

import io.atrium.edge.testing.ClusterMember;
import io.atrium.edge.testing.Edge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-route response cache in the data path, against a real upstream. */
class CacheIT {

    private static final String KEY_A = "consumer-a-key-0123456789abcdef";
    private static final String KEY_B = "consumer-b-key-0123456789abcdef";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ClusterMember upstream;

    @BeforeEach
    void member() throws IOException {
        upstream = new ClusterMember("origin");
    }

    @AfterEach
    void close() {
        upstream.close();
        http.close();
    }

    private String config() throws Exception {
        return """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                auth:
                  api_keys:
                    consumers:
                      - { name: consumer-a, key_sha256: "%s" }
                      - { name: consumer-b, key_sha256: "%s" }
                cache: { max_size: 1MiB }
                clusters:
                  origin: { endpoints: [ "%s" ] }
                routes:
                  - name: public
                    match: { path_prefix: /public }
                    cluster: origin
                    auth: { public: true }
                    cache: { max_entry_bytes: 64KiB, stale_if_error: 1m }
                  - name: private
                    match: { path_prefix: /private }
                    cluster: origin
                    auth: { credentials: [ api_key ] }
                    cache: { }
                  - { name: uncached, match: { path_prefix: /uncached }, cluster: origin, auth: { public: true } }
                """.formatted(sha256(KEY_A), sha256(KEY_B), upstream.url());
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static Edge start(String yaml) throws IOException {
        return Edge.start(yaml, Map.of("atrium.edge.watch-config", false));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(Edge edge, String path) {
        return HttpRequest.newBuilder(URI.create(edge.url() + path));
    }

    @Test
    void aCacheableGetIsServedFromTheCacheTheSecondTime() throws Exception {
        try (Edge edge = start(config())) {
            HttpResponse<String> first = send(request(edge, "/public/item?id=1"));
            HttpResponse<String> second = send(request(edge, "/public/item?id=1"));
            HttpResponse<String> head = send(request(edge, "/public/item?id=1").method("HEAD", HttpRequest.BodyPublishers.noBody()));
            HttpResponse<String> otherQuery = send(request(edge, "/public/item?id=2"));

            assertThat(first.headers().firstValue("x-cache")).hasValue("MISS");
            assertThat(second.headers().firstValue("x-cache")).hasValue("HIT");
            assertThat(second.body()).isEqualTo("origin");
            assertThat(second.headers().firstValue("age")).isPresent();
            assertThat(second.headers().firstValue("x-request-id")).isPresent().isNotEqualTo(first.headers().firstValue("x-request-id"));
            assertThat(second.headers().allValues("x-request-id")).hasSize(1);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("x-cache")).hasValue("HIT");
            assertThat(head.headers().firstValue("content-length")).hasValue("6");
            assertThat(otherQuery.headers().firstValue("x-cache")).hasValue("MISS");
            assertThat(upstream.count("GET")).isEqualTo(2);
            assertThat(upstream.count("HEAD")).isZero();

            String metrics = send(HttpRequest.newBuilder(URI.create(edge.adminUrl() + "/metrics"))).body();
            assertThat(metrics).contains("atrium_cache_lookups_total{outcome=\"hit\",route=\"public\"} 2.0");
        }
    }

    @Test
    void http2RequestsShareEntriesWithHttp11OnesBecauseTheKeyUsesTheAuthority() throws Exception {
        try (Edge edge = start(config());
             HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            // The first request upgrades the connection (h2c); the later ones are HTTP/2 streams with :authority only.
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = h2.send(request(edge, "/public/h2").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-cache")).hasValue(i == 0 ? "MISS" : "HIT");
                if (i > 0) {
                    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                }
            }
            assertThat(send(request(edge, "/public/h2")).headers().firstValue("x-cache")).hasValue("HIT");
            assertThat(upstream.count("GET")).isEqualTo(1);
        }
    }

    @Test
    void routesWithoutCacheAndUncacheableRequestsGoUpstream() throws Exception {
        upstream.cacheControl("no-store");
        try (Edge edge = start(config())) {
            for (int i = 0; i < 2; i++) {
                assertThat(send(request(edge, "/uncached/x")).headers().firstValue("x-cache")).isEmpty();
                assertThat(send(request(edge, "/public/no-store")).headers().firstValue("x-cache")).hasValue("MISS");
                assertThat(send(request(edge, "/public/post").POST(HttpRequest.BodyPublishers.ofString("x"))).headers()
                        .firstValue("x-cache")).isEmpty();
            }
            assertThat(upstream.count("GET")).isEqualTo(4);
            assertThat(upstream.count("POST")).isEqualTo(2);
        }
    }

    @Test
    void oneIdentitysCachedResponseIsNeverServedToAnother() throws Exception {
        upstream.cacheControl("public, max-age=60");
        try (Edge edge = start(config())) {
            HttpResponse<String> a1 = send(request(edge, "/private/profile").header("X-API-Key", KEY_A));
            HttpResponse<String> b1 = send(request(edge, "/private/profile").header("X-API-Key", KEY_B));
            HttpResponse<String> a2 = send(request(edge, "/private/profile").header("X-API-Key", KEY_A));
            HttpResponse<String> anonymous = send(request(edge, "/private/profile"));

            assertThat(a1.body()).isEqualTo("origin:consumer-a");
            assertThat(b1.body()).isEqualTo("origin:consumer-b");
            assertThat(b1.headers().firstValue("x-cache")).hasValue("MISS");
            assertThat(a2.body()).isEqualTo("origin:consumer-a");
            assertThat(a2.headers().firstValue("x-cache")).hasValue("HIT");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(upstream.count("GET")).isEqualTo(2);
        }
    }

    @Test
    void aStaleResponseIsServedWhenTheUpstreamFails() throws Exception {
        upstream.cacheControl("max-age=1");
        try (Edge edge = start(config())) {
            assertThat(send(request(edge, "/public/stale")).headers().firstValue("x-cache")).hasValue("MISS");
            upstream.failWith(503);
            // Fresh for one second (HIT), then stale: the upstream's 503 is replaced by the stale copy.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            HttpResponse<String> response;
            do {
                response = send(request(edge, "/public/stale"));
                assertThat(response.statusCode()).isEqualTo(200);
                Thread.sleep(50);
            } while (!response.headers().firstValue("x-cache").orElse("").equals("STALE") && System.nanoTime() < deadline);
            assertThat(response.headers().firstValue("x-cache")).hasValue("STALE");
            assertThat(response.body()).isEqualTo("origin");

            upstream.kill();
            HttpResponse<String> refused = send(request(edge, "/public/stale"));
            assertThat(refused.statusCode()).isEqualTo(200);
            assertThat(refused.headers().firstValue("x-cache")).hasValue("STALE");
            // Without a stored copy, the failure reaches the client.
            assertThat(send(request(edge, "/public/never-stored")).statusCode()).isEqualTo(502);
        }
    }
}
