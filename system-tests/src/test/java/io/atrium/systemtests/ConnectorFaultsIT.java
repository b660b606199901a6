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
 * REST and gRPC connector backends down under the router (from its runnable jar in registry mode): the orders REST
 * connector (its {@code @connect} SDL generated from the orders OpenAPI document) and the payments gRPC connector
 * (config/connectors) with nothing listening at their backends, beside a canned subgraph. Each connector's field is
 * null with its error and the other subgraph's data is served; the gRPC connector's breaker for the backend then opens
 * (CONNECTOR_CIRCUIT_OPEN with retryAfterSeconds, no backend call); once the real payments service (the examples jar)
 * starts on that port, the same query answers in full after the breaker's open time (~30 s: the connectors' fixed
 * defaults).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectorFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WIDGETS = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.7\", "
            + "import: [\"@key\"])\ntype Query { widgets: [Widget] }\ntype Widget { name: String }";
    private static final String QUERY = "{ widgets { name } payment(paymentId: \"pay_1001\") { id status } }";
    private static final String REST_QUERY = "{ widgets { name } order(id: \"1001\") { id total } }";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<JavaProcess> processes = new ArrayList<>();
    private Path work;
    private FaultServer widgets;
    private JavaProcess router;
    private RouterClient client;
    private int routerPort;
    private int adminPort;
    private int paymentsPort;
    private int ordersPort;

    @BeforeEach
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target", "system-tests", "grpc-connector-" + System.currentTimeMillis()))
                .toAbsolutePath();
        Path config = Path.of(System.getProperty("supergraph.file")).getParent().getParent().resolve("connectors");
        widgets = new FaultServer().okBody("{\"data\":{\"widgets\":[{\"name\":\"Table\"}]}}");
        paymentsPort = JavaProcess.freePort(); // nothing listens here until the payments service starts
        ordersPort = JavaProcess.freePort(); // nothing listens here
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
                subgraphs:
                  payments:   # the connector's backend calls take the subgraph's resilience blocks, as GraphQL ones do
                    circuit_breaker: { minimum_calls: 4, window_size: 10, open_duration: 3s }
                """.formatted(config.resolve("payments.grpc.yaml"), paymentsPort));
        router = JavaProcess.start("federation-router", "router.jar",
                List.of("--registry", work.resolve("registry").toString(), "--config", work.resolve("router.yaml").toString(),
                        "--port", Integer.toString(routerPort), "--admin-port", Integer.toString(adminPort)),
                Map.of("ATRIUM_ROUTER_ADMIN_TOKEN", RouterClient.TOKEN), work, URI.create("http://127.0.0.1:" + routerPort + "/health"));
        processes.add(router);
        client = new RouterClient(http, router, routerPort, adminPort);
        client.awaitAdmin(Duration.ofSeconds(90));
        assertThat(client.publish("widgets", widgets.url("/graphql"), WIDGETS).statusCode()).isEqualTo(200);
        // orders (REST) through its OpenAPI-generated @connect subgraph, its base URL where nothing listens
        Path ordersSdl = work.resolve("orders.graphql");
        JavaProcess.run("openapi-orders", "router.jar", List.of("-cp", "io.atrium.router.connector.rest.openapi.OpenApiCommand",
                System.getProperty("orders.openapi"), "--out", ordersSdl.toString()), work);
        String orders = Files.readString(ordersSdl).replace("http://127.0.0.1:4010", "http://127.0.0.1:" + ordersPort);
        HttpResponse<String> ordersPublished = client.publish("orders", "http://127.0.0.1:" + ordersPort, orders);
        assertThat(ordersPublished.statusCode()).as(ordersPublished.body()).isEqualTo(200);
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
        widgets.close();
        http.close();
        assertThat(stackTraces).as("stack traces logged for an expected backend failure").isEmpty();
    }

    @Test
    void restAndGrpcBackendsDownGivePartialDataAndAReturnedBackendIsServed() throws Exception {
        // REST backend down: the order is null with the connector's error, the other subgraph's data is served
        HttpResponse<String> restPartial = await(() -> client.query(REST_QUERY),
                r -> r.statusCode() == 200 && !r.body().contains("GRAPHQL_VALIDATION_FAILED"), Duration.ofSeconds(15));
        JsonNode rest = JSON.readTree(restPartial.body());
        assertThat(rest.at("/data/widgets/0/name").asText()).as(restPartial.body()).isEqualTo("Table");
        assertThat(rest.at("/data/order").isNull()).as(restPartial.body()).isTrue();
        assertThat(rest.at("/errors/0/path/0").asText()).isEqualTo("order");
        assertThat(rest.at("/errors/0/extensions/serviceName").asText()).isEqualTo("orders");
        assertThat(rest.at("/errors/0/extensions/code").asText()).as(restPartial.body()).isEqualTo("CONNECTOR_FETCH");

        // down: the connector's field is null with an error naming the subgraph; the other subgraph's data is served
        HttpResponse<String> partial = await(() -> client.query(QUERY),
                r -> r.statusCode() == 200 && !r.body().contains("GRAPHQL_VALIDATION_FAILED"),
                Duration.ofSeconds(15)); // both publishes are live (the first loads the supergraph, the second adds payment)
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(partial.body());
        assertThat(answer.at("/data/widgets/0/name").asText()).as(partial.body()).isEqualTo("Table");
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
        assertThat(openAnswer.at("/data/widgets/0/name").asText()).isEqualTo("Table");
        assertThat(openAnswer.at("/data/payment").isNull()).isTrue();
        assertThat(openAnswer.at("/errors/0/extensions/serviceName").asText()).isEqualTo("payments");
        // the configured open time (3 s), not the library's 30 s
        assertThat(openAnswer.at("/errors/0/extensions/retryAfterSeconds").asInt()).isBetween(1, 3);

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
        assertThat(whole.at("/data/widgets/0/name").asText()).isEqualTo("Table");
        assertThat(router.alive()).isTrue();
        assertThat(router.healthStatus(http)).isEqualTo(200);
    }
}
