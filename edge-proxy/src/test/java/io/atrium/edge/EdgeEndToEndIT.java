package io.atrium.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.edge.testing.Edge;
import io.atrium.examples.ExampleService;
import io.atrium.examples.ExampleServices;
import io.atrium.examples.RunningService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foundation's end-to-end path: a REST client talks to the edge, the edge routes by path prefix to the real
 * orders sample service (started in this JVM on a random port), and everything the service says comes back intact.
 */
class EdgeEndToEndIT {

    private static final Pattern ORDER_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private static RunningService orders;
    private static Edge edge;
    private static HttpClient client;

    @BeforeAll
    static void startStack() throws IOException {
        orders = ExampleServices.start(ExampleService.ORDERS, 0);
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { port: 0 }
                clusters:
                  orders:
                    endpoints: [ "http://127.0.0.1:%d" ]
                routes:
                  - name: orders
                    match: { path_prefix: /api/v1/orders }
                    cluster: orders
                    prefix_rewrite: /orders
                    auth: { public: true }
                """.formatted(orders.port()));
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopStack() throws IOException {
        if (edge != null) {
            edge.close();
        }
        if (orders != null) {
            orders.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void restGetThroughTheEdgeEqualsTheServiceAnswer() throws Exception {
        HttpResponse<String> direct = send(HttpRequest.newBuilder(orders.baseUri().resolve("/orders?userId=1")).GET());
        HttpResponse<String> viaEdge = send(edgeRequest("/api/v1/orders?userId=1").GET());

        assertThat(viaEdge.statusCode()).isEqualTo(200);
        assertThat(viaEdge.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(viaEdge.body()).isEqualTo(direct.body()).contains("\"userId\":\"1\"");

        String id = firstOrderId(viaEdge.body());
        HttpResponse<String> one = send(edgeRequest("/api/v1/orders/" + id).GET());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"id\":\"" + id + "\"");
    }

    @Test
    void restPostCreatesAnOrderOnceAndItCanBeReadBack() throws Exception {
        int before = countOrdersOfUser("2");
        HttpResponse<String> created = send(edgeRequest("/api/v1/orders")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"2\",\"items\":[{\"upc\":\"1\",\"quantity\":3}]}")));

        assertThat(created.statusCode()).isEqualTo(201);
        String id = firstOrderId(created.body());
        HttpResponse<String> readBack = send(edgeRequest("/api/v1/orders/" + id).GET());
        assertThat(readBack.statusCode()).isEqualTo(200);
        assertThat(readBack.body()).contains("\"userId\":\"2\"").contains("\"quantity\":3");
        assertThat(countOrdersOfUser("2")).as("a POST through the edge creates exactly one order").isEqualTo(before + 1);
    }

    @Test
    void upstreamProblemDocumentsPassThroughUnchanged() throws Exception {
        HttpResponse<String> invalid = send(edgeRequest("/api/v1/orders")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"upc\":\"no-such-upc\",\"quantity\":0}]}")));

        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(invalid.body()).contains("\"status\":422").contains("userId").contains("errors");

        HttpResponse<String> missing = send(edgeRequest("/api/v1/orders/does-not-exist").GET());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(missing.body()).as("the service's 404, not the edge's no-route 404").contains("/orders/does-not-exist");
    }

    @Test
    void requestIdReachesTheServiceAndComesBack() throws Exception {
        HttpResponse<String> withId = send(edgeRequest("/api/v1/orders?userId=1").header("X-Request-Id", "e2e-7f3a").GET());
        assertThat(withId.headers().allValues("x-request-id")).containsExactly("e2e-7f3a");

        HttpResponse<String> withoutId = send(edgeRequest("/api/v1/orders?userId=1").GET());
        assertThat(withoutId.headers().allValues("x-request-id")).singleElement().satisfies(id -> assertThat(id).isNotBlank());
    }

    @Test
    void pathsOutsideEveryRouteGetTheEdgesProblemDocument() throws Exception {
        HttpResponse<String> response = send(edgeRequest("/api/v1/ordersX").GET());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("ROUTE_NOT_FOUND");
    }

    private int countOrdersOfUser(String userId) throws Exception {
        String body = send(edgeRequest("/api/v1/orders?userId=" + userId).GET()).body();
        Matcher matcher = Pattern.compile("\"userId\"\\s*:\\s*\"" + userId + "\"").matcher(body);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static String firstOrderId(String json) {
        Matcher matcher = ORDER_ID.matcher(json);
        assertThat(matcher.find()).as("an order id in %s", json).isTrue();
        return matcher.group(1);
    }

    private static HttpRequest.Builder edgeRequest(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(edge.url() + pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
