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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.atrium.systemtests.RouterClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gRPC backend down and back under the router's gRPC connector (the router from its runnable jar in registry mode,
 * the payments connector subgraph of config/connectors, a canned products subgraph beside it): while nothing listens at
 * the payments target the connector's field is null with an error and the other subgraph's data is served; once the
 * real payments service (the examples jar) starts on that port the same query answers in full. In between, the
 * connector's breaker for the backend opens (CONNECTOR_CIRCUIT_OPEN with retryAfterSeconds, no backend call) and its
 * probes close it again once the open time is over (~30 s: the connectors' fixed defaults).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GrpcConnectorFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRODUCTS = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.7\", "
            + "import: [\"@key\"])\ntype Query { products: [Product] }\n"
            + "type Product @key(fields: \"id\") { id: ID! name: String }";
    private static final String QUERY = "{ products { name } payment(paymentId: \"pay_1001\") { id status } }";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<JavaProcess> processes = new ArrayList<>();
    private Path work;
    private FaultServer products;
    private JavaProcess router;
    private RouterClient client;
    private int routerPort;
    private int adminPort;
    private int paymentsPort;

    @BeforeEach
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target", "system-tests", "grpc-connector-" + System.currentTimeMillis()))
                .toAbsolutePath();
        Path config = Path.of(System.getProperty("supergraph.file")).getParent().getParent().resolve("connectors");
        products = new FaultServer().okBody("{\"data\":{\"products\":[{\"name\":\"Table\"}]}}");
        paymentsPort = JavaProcess.freePort(); // nothing listens here until the payments service starts
        routerPort = JavaProcess.freePort();
        adminPort = JavaProcess.freePort();
        Files.writeString(work.resolve("router.yaml"), """
                format_version: 1
                hot_reload: false
                connectors:
                  grpc:
                    payments:
                      connector: %s
                      descriptor_set: classpath:META-INF/atrium/protos/atrium.desc
                      target: 127.0.0.1:%d
                """.formatted(config.resolve("payments.grpc.yaml"), paymentsPort));
        router = JavaProcess.start("federation-router", "router.jar",
                List.of("--registry", work.resolve("registry").toString(), "--config", work.resolve("router.yaml").toString(),
                        "--port", Integer.toString(routerPort), "--admin-port", Integer.toString(adminPort)),
                Map.of("ATRIUM_ROUTER_ADMIN_TOKEN", RouterClient.TOKEN), work, URI.create("http://127.0.0.1:" + routerPort + "/health"));
        processes.add(router);
        client = new RouterClient(http, router, routerPort, adminPort);
        client.awaitAdmin(Duration.ofSeconds(90));
        assertThat(client.publish("products", products.url("/graphql"), PRODUCTS).statusCode()).isEqualTo(200);
        HttpResponse<String> published = client.publish("payments", "http://127.0.0.1:" + paymentsPort + "/grpc-connector",
                Files.readString(config.resolve("payments.graphql")));
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        List<String> stackTraces = new ArrayList<>();
        for (JavaProcess process : processes) {
            if (process.alive()) {
                stackTraces.addAll(process.stackTraceLines().stream().map(l -> process.name + ": " + l).toList());
            }
            process.close();
        }
        products.close();
        http.close();
        assertThat(stackTraces).as("stack traces logged for an expected backend failure").isEmpty();
    }

    @Test
    void grpcBackendDownGivesPartialDataAndItsReturnIsServed() throws Exception {
        // down: the connector's field is null with an error naming the subgraph; the other subgraph's data is served
        HttpResponse<String> partial = await(() -> client.query(QUERY),
                r -> r.statusCode() == 200 && !r.body().contains("GRAPHQL_VALIDATION_FAILED"),
                Duration.ofSeconds(15)); // both publishes are live (the first loads the supergraph, the second adds payment)
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(partial.body());
        assertThat(answer.at("/data/products/0/name").asText()).as(partial.body()).isEqualTo("Table");
        assertThat(answer.at("/data/payment").isNull()).as(partial.body()).isTrue();
        JsonNode error = answer.at("/errors/0");
        assertThat(error.at("/extensions/serviceName").asText()).as(partial.body()).isEqualTo("payments");
        // the gRPC status as the code (the connector's mapping), with its number
        assertThat(error.at("/extensions/code").asText()).as(partial.body()).isEqualTo("UNAVAILABLE");
        assertThat(error.at("/extensions/grpcStatus").asInt()).isEqualTo(14);
        assertThat(error.at("/path/0").asText()).isEqualTo("payment");
        assertThat(router.healthStatus(http)).isEqualTo(200);

        // still down: after repeated failures the connector's breaker for the backend opens (no more calls to it)
        HttpResponse<String> open = await(() -> client.query(QUERY),
                r -> r.body().contains("CONNECTOR_CIRCUIT_OPEN"), Duration.ofSeconds(15));
        JsonNode openAnswer = JSON.readTree(open.body());
        assertThat(openAnswer.at("/data/products/0/name").asText()).isEqualTo("Table");
        assertThat(openAnswer.at("/data/payment").isNull()).isTrue();
        assertThat(openAnswer.at("/errors/0/extensions/serviceName").asText()).isEqualTo("payments");
        assertThat(openAnswer.at("/errors/0/extensions/retryAfterSeconds").asInt()).isPositive();

        // back: the real payments service on that port; the same query answers in full
        JavaProcess payments = JavaProcess.start("payments", "examples.jar",
                List.of("payments", "--port", Integer.toString(paymentsPort)), Map.of(), work,
                URI.create("http://127.0.0.1:" + paymentsPort + "/"));
        processes.add(payments);
        long restarted = System.nanoTime();
        HttpResponse<String> full = await(() -> client.query(QUERY), r -> r.body().contains("\"pay_1001\""),
                Duration.ofSeconds(90));
        System.out.printf("gRPC connector: full answers %d ms after the payments service was started%n",
                Duration.ofNanos(System.nanoTime() - restarted).toMillis());
        JsonNode whole = JSON.readTree(full.body());
        assertThat(whole.has("errors")).as(full.body()).isFalse();
        assertThat(whole.at("/data/payment/id").asText()).isEqualTo("pay_1001");
        assertThat(whole.at("/data/products/0/name").asText()).isEqualTo("Table");
        assertThat(router.alive()).isTrue();
        assertThat(router.healthStatus(http)).isEqualTo(200);
    }
}
