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

import static io.atrium.systemtests.RouterClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis down and back under the router's subgraph registry (a real redis-server stopped and started again empty on
 * the same port; the router from its runnable jar in {@code --registry redis://} mode): the router keeps serving the
 * last good supergraph while the store is gone and after it comes back empty, a publish while it is gone is refused
 * with 503 REGISTRY_UNAVAILABLE (a problem document, not a dropped connection), and a publish after it is back goes
 * live although the reset store reuses version numbers the router saw before.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RegistryRedisFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINK = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.7\", "
            + "import: [\"@key\"])\n";
    private static final String V1 = LINK + "type Query { products: [Product] }\n"
            + "type Product @key(fields: \"id\") { id: ID! name: String }";
    private static final String V2 = LINK + "type Query { products: [Product] }\n"
            + "type Product @key(fields: \"id\") { id: ID! name: String price: Int }";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Redis redis;
    private FaultServer products;
    private JavaProcess router;
    private RouterClient client;
    private int routerPort;
    private int adminPort;

    @BeforeEach
    void start() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "system-tests", "registry-redis-" + System.currentTimeMillis()))
                .toAbsolutePath();
        redis = new Redis();
        // a canned products subgraph: whatever it is asked, one product (the router keeps the selected fields)
        products = new FaultServer().okBody("{\"data\":{\"products\":[{\"name\":\"Table\",\"price\":120}]}}");
        routerPort = JavaProcess.freePort();
        adminPort = JavaProcess.freePort();
        router = JavaProcess.start("federation-router", "router.jar",
                List.of("--registry", redis.url(), "--port", Integer.toString(routerPort),
                        "--admin-port", Integer.toString(adminPort)),
                Map.of("ATRIUM_ROUTER_ADMIN_TOKEN", RouterClient.TOKEN), work,
                URI.create("http://127.0.0.1:" + routerPort + "/health"));
        client = new RouterClient(http, router, routerPort, adminPort);
        client.awaitAdmin(Duration.ofSeconds(90));
    }

    @AfterEach
    void stop() throws Exception {
        List<String> stackTraces = router.alive() ? router.stackTraceLines() : List.of();
        router.close();
        products.close();
        redis.close();
        http.close();
        assertThat(stackTraces).as("stack traces in the router's log for an expected store failure").isEmpty();
    }

    @Test
    void routerKeepsTheLastGoodSupergraphWhileRedisIsDownAndAfterItComesBackEmpty() throws Exception {
        assertThat(client.publish("products", products.url("/graphql"), V1).statusCode()).isEqualTo(200);
        await(() -> client.query("{ products { name } }"), r -> r.statusCode() == 200 && r.body().contains("Table"),
                Duration.ofSeconds(10));

        // Redis down: a publish is refused with a problem document (nothing half-stored); the router serves on.
        redis.stop();
        HttpResponse<String> refused = await(() -> client.publish("products", products.url("/graphql"), V2), r -> r.statusCode() != 200, Duration.ofSeconds(15));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(refused.body()).get("code").asText()).isEqualTo("REGISTRY_UNAVAILABLE");
        assertServesV1();

        // Redis back, empty (it keeps no data): the router still serves the last good supergraph ...
        redis.start();
        client.awaitAdmin(Duration.ofSeconds(30));
        assertServesV1();
        // ... and a publish goes live again.
        assertThat(await(() -> client.publish("products", products.url("/graphql"), V2), r -> r.statusCode() == 200, Duration.ofSeconds(15)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> withPrice = await(() -> client.query("{ products { name price } }"),
                r -> r.statusCode() == 200 && r.body().contains("120"), Duration.ofSeconds(10));
        assertThat(JSON.readTree(withPrice.body()).at("/data/products/0/price").asInt()).isEqualTo(120);
        assertThat(router.alive()).isTrue();
        assertThat(router.healthStatus(http)).isEqualTo(200);
    }

    private void assertServesV1() throws Exception {
        HttpResponse<String> answer = client.query("{ products { name } }");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode data = JSON.readTree(answer.body());
        assertThat(data.at("/data/products/0/name").asText()).isEqualTo("Table");
        assertThat(data.has("errors")).isFalse();
        assertThat(router.healthStatus(http)).isEqualTo(200);
    }

}
