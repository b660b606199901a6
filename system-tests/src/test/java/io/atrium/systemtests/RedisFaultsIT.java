package io.atrium.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis down and back under the edge's shared rate limit (a real redis-server, stopped and started again on the same
 * port; the edge from its runnable jar): a route with {@code on_store_failure: open} lets requests through while the
 * store is gone, one with {@code closed} answers 503 RATE_LIMIT_UNAVAILABLE without asking the upstream; both limit
 * again once Redis is back, and the edge stays healthy throughout with no stack trace in its log.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Redis redis;
    private FaultServer upstream;
    private JavaProcess edge;
    private int edgePort;

    @BeforeEach
    void start() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "system-tests", "redis-faults-" + System.currentTimeMillis()))
                .toAbsolutePath();
        redis = new Redis();
        upstream = new FaultServer();
        edgePort = JavaProcess.freePort();
        int adminPort = JavaProcess.freePort();
        String limit = "key: route, limits: [ { requests: %d, period: 10m } ]".formatted(LIMIT);
        Files.writeString(work.resolve("edge.yaml"), """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: %d }
                rate_limit:
                  store: redis
                  redis: { url: "redis://127.0.0.1:%d", command_timeout: 500ms }
                clusters:
                  upstream: { endpoints: [ "%s" ], response_timeout: 5s }
                routes:
                  - name: open
                    match: { path_prefix: /open }
                    cluster: upstream
                    auth: { public: true }
                    rate_limit: { %s, on_store_failure: open }
                  - name: closed
                    match: { path_prefix: /closed }
                    cluster: upstream
                    auth: { public: true }
                    rate_limit: { %s, on_store_failure: closed }
                """.formatted(edgePort, redis.port, upstream.url(""), limit, limit));
        edge = JavaProcess.start("edge-proxy", "edge.jar", List.of(),
                Map.of("ATRIUM_PORT", Integer.toString(adminPort), "ATRIUM_EDGE_CONFIG",
                        work.resolve("edge.yaml").toString()),
                work, URI.create("http://127.0.0.1:" + adminPort + "/health"));
        edge.awaitHealthy(http, Duration.ofSeconds(90));
    }

    @AfterEach
    void stop() throws Exception {
        List<String> stackTraces = edge.alive() ? edge.stackTraceLines() : List.of();
        edge.close();
        upstream.close();
        redis.close();
        http.close();
        assertThat(stackTraces).as("stack traces in the edge's log for an expected store failure").isEmpty();
    }

    @Test
    void rateLimitsFailOpenOrClosedAsConfiguredWhileRedisIsDownAndLimitAgainWhenItIsBack() throws Exception {
        // Redis up: the store connects in the background (closed refuses until then); then both routes limit.
        awaitStatus("/closed/a", status -> status == 200, Duration.ofSeconds(20));
        assertThat(statusesOf("/open/a", LIMIT + 1)).containsExactly(200, 200, 200, 429);
        assertThat(statusesOf("/closed/a", LIMIT)).containsExactly(200, 200, 429);

        // Redis down: open lets requests through (over the limit it had reached), closed refuses with 503 problem+json.
        redis.stop();
        awaitStatus("/open/a", status -> status == 200, Duration.ofSeconds(10));
        assertThat(statusesOf("/open/a", 3)).containsOnly(200);
        int reachedUpstream = upstream.connections();
        HttpResponse<String> refused = awaitStatus("/closed/a", status -> status == 503, Duration.ofSeconds(10));
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("code").asText()).isEqualTo("RATE_LIMIT_UNAVAILABLE");
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(statusesOf("/closed/a", 3)).containsOnly(503);
        assertThat(upstream.connections()).as("a refused request never reaches the upstream").isEqualTo(reachedUpstream);
        assertThat(edge.healthStatus(http)).isEqualTo(200);

        // Redis back (empty: it keeps no data): the edge reconnects by itself and both routes limit again.
        redis.start();
        awaitStatus("/closed/a", status -> status == 200, Duration.ofSeconds(30));
        assertThat(statusesOf("/closed/a", LIMIT)).containsExactly(200, 200, 429);
        assertThat(statusesOf("/open/a", LIMIT + 1)).containsExactly(200, 200, 200, 429);
        assertThat(edge.alive()).isTrue();
        assertThat(edge.healthStatus(http)).isEqualTo(200);
    }

    private List<Integer> statusesOf(String path, int count) throws IOException, InterruptedException {
        Integer[] statuses = new Integer[count];
        for (int i = 0; i < count; i++) {
            statuses[i] = get(path).statusCode();
        }
        return List.of(statuses);
    }

    /** Polls the condition "the edge answers this status" (every 50 ms, bounded), not a fixed sleep. */
    private HttpResponse<String> awaitStatus(String path, IntPredicate wanted, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> response = get(path);
        while (!wanted.test(response.statusCode()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = get(path);
        }
        assertThat(response.statusCode()).as("%s within %s: %s", path, within, response.body())
                .matches(wanted::test);
        return response;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
