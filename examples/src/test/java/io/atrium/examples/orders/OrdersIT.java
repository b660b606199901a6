package io.atrium.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.examples.ExampleService;
import io.atrium.examples.ExampleServices;
import io.atrium.examples.RunningService;
import io.atrium.examples.TestHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrdersIT {

    private static RunningService orders;

    @BeforeAll
    static void start() {
        orders = ExampleServices.start(ExampleService.ORDERS, 0);
    }

    @AfterAll
    static void stop() {
        orders.close();
    }

    @Test
    void getsASeededOrder() {
        HttpResponse<String> response = TestHttp.get(uri("/orders/1001"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(TestHttp.readMap(response.body())).isEqualTo(Map.of(
                "id", "1001", "userId", "1", "status", "PAID", "createdAt", "2026-01-02T09:15:00Z", "total", 2014,
                "items", List.of(Map.of("upc", "1", "quantity", 2, "unitPrice", 899),
                        Map.of("upc", "3", "quantity", 4, "unitPrice", 54))));
    }

    @Test
    void publishesItsOpenApiDocumentWithTheGraphExtensions() {
        HttpResponse<String> response = TestHttp.get(uri("/openapi.yaml"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("openapi: 3.1.0").contains("operationId: placeOrder")
                .contains("x-atrium-key: id").contains("x-atrium-field:").contains("x-atrium-ref:");
    }

    @Test
    void unknownOrderIsAProblemDocument() {
        HttpResponse<String> response = TestHttp.get(uri("/orders/999999"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertProblemJson(response);
        assertThat(TestHttp.readMap(response.body())).containsEntry("status", 404)
                .containsEntry("type", "urn:atrium:examples:orders:not-found")
                .containsEntry("title", "Order not found")
                .containsKey("detail");
    }

    @Test
    void listsOrdersOfAUser() {
        List<Map<String, Object>> ofUser2 = orders(TestHttp.get(uri("/orders?userId=2")));
        List<Map<String, Object>> all = orders(TestHttp.get(uri("/orders")));

        assertThat(ofUser2).extracting(order -> order.get("id")).startsWith("1002", "1008");
        assertThat(ofUser2).allSatisfy(order -> assertThat(order).containsEntry("userId", "2"));
        assertThat(all).hasSizeGreaterThanOrEqualTo(8);
        assertThat(orders(TestHttp.get(uri("/orders?userId=nobody")))).isEmpty();
    }

    @Test
    void listsTheOrdersOfManyUsersInOneCallOneEntryPerUserAskedFor() {
        HttpResponse<String> response = TestHttp.get(uri("/orders-by-user?userIds=2,nobody,1,2"));

        assertThat(response.statusCode()).isEqualTo(200);
        List<Map<String, Object>> entries = TestHttp.read(response.body(), io.micronaut.core.type.Argument.listOf(
                io.micronaut.core.type.Argument.mapOf(String.class, Object.class)));
        assertThat(entries).extracting(entry -> entry.get("userId")).containsExactly("2", "nobody", "1");
        assertThat(entries.get(0).get("orders")).isEqualTo(orders(TestHttp.get(uri("/orders?userId=2"))));
        assertThat(entries.get(1).get("orders")).isEqualTo(List.of());
        assertThat(entries.get(2).get("orders")).isEqualTo(orders(TestHttp.get(uri("/orders?userId=1"))));
        assertThat(TestHttp.get(uri("/orders-by-user?userIds=1&userIds=2")).body())
                .isEqualTo(TestHttp.get(uri("/orders-by-user?userIds=1,2")).body());
    }

    @Test
    void manyUsersAtOnceNeedOneToAHundredIds() {
        String hundredAndOne = String.join(",", java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(Integer::toString).toList());
        for (String query : List.of("", "?userIds=", "?userIds=" + hundredAndOne)) {
            HttpResponse<String> response = TestHttp.get(uri("/orders-by-user" + query));
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertProblemJson(response);
            assertThat(TestHttp.readMap(response.body())).containsEntry("type", "urn:atrium:examples:orders:bad-query");
        }
    }

    @Test
    void createsAnOrder() {
        HttpResponse<String> response = TestHttp.postJson(uri("/orders"),
                "{\"userId\": \"5\", \"items\": [{\"upc\": \"4\", \"quantity\": 3}, {\"upc\": \"8\", \"quantity\": 1}]}");

        assertThat(response.statusCode()).isEqualTo(201);
        Map<String, Object> created = TestHttp.readMap(response.body());
        assertThat(created).containsEntry("userId", "5").containsEntry("total", 3 * 120 + 45)
                .containsEntry("status", "PLACED");
        assertThat(response.headers().firstValue("location")).hasValue("/orders/" + created.get("id"));
        assertThat(TestHttp.readMap(TestHttp.get(uri("/orders/" + created.get("id"))).body())).isEqualTo(created);
    }

    @Test
    void validationErrorsNameEveryBadField() {
        HttpResponse<String> response = TestHttp.postJson(uri("/orders"), """
                {"userId": "42", "items": [{"upc": "1", "quantity": 0}, {"upc": "nope", "quantity": 2.5}], "coupon": "x"}""");

        assertThat(response.statusCode()).isEqualTo(422);
        assertProblemJson(response);
        Map<String, Object> problem = TestHttp.readMap(response.body());
        assertThat(problem).containsEntry("status", 422).containsEntry("title", "Invalid order")
                .containsEntry("type", "urn:atrium:examples:orders:invalid-order").containsKey("detail");
        List<Object> fields = ((List<?>) problem.get("errors")).stream()
                .map(error -> (Object) ((Map<?, ?>) error).get("field")).toList();
        assertThat(fields).containsExactlyInAnyOrder("coupon", "userId", "items[0].quantity", "items[1].upc", "items[1].quantity");
    }

    @Test
    void malformedJsonIsABadRequestProblem() {
        HttpResponse<String> response = TestHttp.postJson(uri("/orders"), "{\"userId\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblemJson(response);
        assertThat(TestHttp.readMap(response.body())).containsEntry("status", 400)
                .containsEntry("type", "urn:atrium:examples:orders:malformed-body");
    }

    @Test
    void everyResponseCarriesTheRequestIdItReceived() {
        assertThat(TestHttp.get(uri("/orders/1001"), "X-Request-Id", "req-1").headers().firstValue("x-request-id"))
                .hasValue("req-1");
        assertThat(TestHttp.get(uri("/orders/0"), "X-Request-Id", "req-2").headers().firstValue("x-request-id"))
                .hasValue("req-2");
        assertThat(TestHttp.postJson(uri("/orders"), "[]", "X-Request-Id", "req-3").headers()
                .firstValue("x-request-id")).hasValue("req-3");
        assertThat(TestHttp.get(uri("/no-such-path"), "X-Request-Id", "req-4").headers().firstValue("x-request-id"))
                .hasValue("req-4");
        assertThat(TestHttp.get(uri("/health")).headers().firstValue("x-request-id")).isEmpty();
    }

    @Test
    void answersHealth() {
        HttpResponse<String> response = TestHttp.get(uri("/health"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    private static void assertProblemJson(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    private static List<Map<String, Object>> orders(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return TestHttp.read(response.body(), io.micronaut.core.type.Argument.listOf(
                io.micronaut.core.type.Argument.mapOf(String.class, Object.class)));
    }

    private static URI uri(String path) {
        return orders.baseUri().resolve(path);
    }
}
