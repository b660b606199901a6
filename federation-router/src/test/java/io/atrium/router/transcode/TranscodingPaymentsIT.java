package io.atrium.router.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.atrium.examples.RunningService;
import io.atrium.examples.payments.PaymentsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * REST → gRPC transcoding in front of the real example payments service (its annotations from the protos jar's
 * descriptor set), over loopback HTTP: every mapping and error path a REST client of payments meets.
 */
class TranscodingPaymentsIT {
    private static RunningService payments;
    private static Transcoder transcoder;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        payments = PaymentsServer.start("127.0.0.1", 0);
        Path dir = Files.createTempDirectory("transcoding-payments");
        transcoder = Transcoder.start(TranscodingConfigLoader.parse("""
                format_version: 1
                host: 127.0.0.1
                port: 0
                path_prefix: /api
                max_request_bytes: 4096
                backends:
                  payments:
                    target: 127.0.0.1:%d
                    descriptor_set: classpath:META-INF/atrium/protos/atrium.desc
                    services: [atrium.payments.v1.Payments]
                    routes:
                      atrium.payments.v1.Payments.ListPaymentsByUser: {emit_defaults: true}
                """.formatted(payments.port()), dir));
    }

    @AfterAll
    static void stop() {
        if (transcoder != null) {
            transcoder.close();
        }
        if (payments != null) {
            payments.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + transcoder.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private static JsonArray violations(HttpResponse<String> response) {
        JsonObject status = json(response);
        assertThat(status.get("code").getAsInt()).isEqualTo(3);
        JsonObject detail = status.getAsJsonArray("details").get(0).getAsJsonObject();
        assertThat(detail.get("@type").getAsString()).isEqualTo("type.googleapis.com/google.rpc.BadRequest");
        return detail.getAsJsonArray("fieldViolations");
    }

    private static String authorize(String key, long units) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/payments", """
                {"userId":"42","orderId":"o-1","amount":{"currencyCode":"USD","units":"%d"},
                 "payment_method_token":"tok_visa","idempotencyKey":"%s"}""".formatted(units, key));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("id").getAsString();
    }

    @Test
    void getMapsThePathVariableAndAnswersCanonicalProto3Json() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/payments/pay_1001", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonObject payment = json(response);
        assertThat(payment.get("id").getAsString()).isEqualTo("pay_1001");
        assertThat(payment.get("userId").getAsString()).isEqualTo("1");
        assertThat(payment.getAsJsonObject("amount").get("units").getAsJsonPrimitive().isString()).isTrue();
        assertThat(payment.get("status").getAsString()).isEqualTo("PAYMENT_STATUS_CAPTURED");
        assertThat(payment.get("createdAt").getAsString()).isEqualTo("2026-01-02T09:16:00Z");
        assertThat(payment.get("orderId").getAsString()).isEqualTo("1001");
    }

    @Test
    void queryParametersTakeProtoAndJsonNamesAndDefaultsAreEmittedWhereTheRouteSaysSo() throws Exception {
        HttpResponse<String> camel = send("GET", "/api/v1/users/1/payments?pageSize=1", null);
        assertThat(camel.statusCode()).as(camel.body()).isEqualTo(200);
        assertThat(json(camel).getAsJsonArray("payments")).hasSize(1);
        HttpResponse<String> snake = send("GET", "/api/v1/users/1/payments?page_size=1", null);
        assertThat(json(snake)).isEqualTo(json(camel));
        HttpResponse<String> nobody = send("GET", "/api/v1/users/nobody/payments", null);
        assertThat(json(nobody).getAsJsonArray("payments")).isEmpty();
        assertThat(json(nobody).get("nextPageToken").getAsString()).isEmpty();
    }

    @Test
    void anUnknownQueryParameterIs400WithAFieldViolation() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/payments/pay_1001?expand=all", null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(violations(response).get(0).getAsJsonObject().get("field").getAsString()).isEqualTo("expand");
    }

    @Test
    void aQueryValueOfTheWrongTypeIs400NamingTheParameter() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/users/1/payments?pageSize=ten", null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(violations(response).get(0).getAsJsonObject().get("field").getAsString()).isEqualTo("pageSize");
        HttpResponse<String> tooBig = send("GET", "/api/v1/users/1/payments?pageSize=3000000000", null);
        assertThat(tooBig.statusCode()).as("beyond int32").isEqualTo(400);
        assertThat(violations(tooBig).get(0).getAsJsonObject().get("field").getAsString()).isEqualTo("pageSize");
    }

    @Test
    void integerValuesTakeEveryProto3JsonSpelling() throws Exception {
        HttpResponse<String> plain = send("GET", "/api/v1/users/1/payments?pageSize=1", null);
        assertThat(json(plain).getAsJsonArray("payments")).hasSize(1);
        for (String spelling : List.of("1.0", "1e0", "%2B1")) {
            HttpResponse<String> other = send("GET", "/api/v1/users/1/payments?pageSize=" + spelling, null);
            assertThat(other.statusCode()).as(spelling + ": " + other.body()).isEqualTo(200);
            assertThat(json(other)).as(spelling).isEqualTo(json(plain));
        }
    }

    @Test
    void postBodyStarAuthorizesAndTheIdempotencyKeyPassesThrough() throws Exception {
        String key = UUID.randomUUID().toString();
        String first = authorize(key, 12);
        assertThat(authorize(key, 12)).as("same key, same payment").isEqualTo(first);
        HttpResponse<String> reused = send("POST", "/api/v1/payments", """
                {"userId":"42","orderId":"o-1","amount":{"currencyCode":"USD","units":"99"},
                 "paymentMethodToken":"tok_visa","idempotencyKey":"%s"}""".formatted(key));
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(json(reused).get("code").getAsInt()).isEqualTo(6);
    }

    @Test
    void customVerbsRouteToTheirMethodsAndGrpcErrorsKeepTheirDetails() throws Exception {
        String id = authorize(UUID.randomUUID().toString(), 30);
        HttpResponse<String> captured = send("POST", "/api/v1/payments/" + id + ":capture", "{}");
        assertThat(captured.statusCode()).as(captured.body()).isEqualTo(200);
        assertThat(json(captured).get("status").getAsString()).isEqualTo("PAYMENT_STATUS_CAPTURED");
        HttpResponse<String> again = send("POST", "/api/v1/payments/" + id + ":capture", "{}");
        assertThat(again.statusCode()).as("FAILED_PRECONDITION maps to 400").isEqualTo(400);
        JsonObject status = json(again);
        assertThat(status.get("code").getAsInt()).isEqualTo(9);
        JsonObject info = status.getAsJsonArray("details").get(0).getAsJsonObject();
        assertThat(info.get("@type").getAsString()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        assertThat(info.get("reason").getAsString()).isEqualTo("PAYMENT_STATE");
        assertThat(info.getAsJsonObject("metadata").get("payment_id").getAsString()).isEqualTo(id);
        HttpResponse<String> refunded = send("POST", "/api/v1/payments/" + id + ":refund",
                "{\"amount\":{\"currencyCode\":\"USD\",\"units\":\"10\"},\"reason\":\"damaged\"}");
        assertThat(json(refunded).get("status").getAsString()).isEqualTo("PAYMENT_STATUS_PARTIALLY_REFUNDED");
    }

    @Test
    void aBodyFieldThatThePathAlsoBindsIsRefused() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/payments/pay_1003:capture", "{\"paymentId\":\"pay_1001\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(violations(response).get(0).getAsJsonObject().get("field").getAsString()).isEqualTo("payment_id");
    }

    @Test
    void badJsonAndWrongTypesAre400WithFieldViolationsNever500() throws Exception {
        HttpResponse<String> malformed = send("POST", "/api/v1/payments", "{\"userId\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(violations(malformed)).hasSize(1);
        HttpResponse<String> wrongType = send("POST", "/api/v1/payments",
                "{\"userId\":\"1\",\"amount\":{\"units\":\"lots\",\"nanos\":1},\"color\":\"red\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        JsonArray violations = violations(wrongType);
        assertThat(violations.asList()).extracting(v -> v.getAsJsonObject().get("field").getAsString())
                .containsExactly("amount.units", "color");
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        HttpResponse<String> nowhere = send("GET", "/api/v1/nowhere", null);
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(json(nowhere).get("code").getAsInt()).isEqualTo(5);
        HttpResponse<String> outsidePrefix = send("GET", "/v1/payments/pay_1001", null);
        assertThat(outsidePrefix.statusCode()).isEqualTo(404);
        HttpResponse<String> delete = send("DELETE", "/api/v1/payments/pay_1001", null);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void aMissingPaymentIsTheBackendsNotFound() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/payments/pay_nope", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("message").getAsString()).contains("pay_nope");
    }

    @Test
    void anOrdersPaymentIsReachedByTheOrderOnEitherBindingAndAnOrderWithoutOneIs404() throws Exception {
        HttpResponse<String> byOrder = send("GET", "/api/v1/orders/1001/payment", null);
        assertThat(byOrder.statusCode()).as(byOrder.body()).isEqualTo(200);
        assertThat(json(byOrder).get("id").getAsString()).isEqualTo("pay_1001");
        HttpResponse<String> underPayments = send("GET", "/api/v1/payments/byOrder/1001", null);
        assertThat(underPayments.statusCode()).as(underPayments.body()).isEqualTo(200);
        assertThat(json(underPayments)).isEqualTo(json(byOrder));
        HttpResponse<String> none = send("GET", "/api/v1/orders/1008/payment", null);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).get("code").getAsInt()).isEqualTo(5);
        assertThat(json(none).get("message").getAsString()).contains("1008");
        HttpResponse<String> batch = send("GET", "/api/v1/payments:batchGetByOrder?orderIds=1007&order_ids=1008&orderIds=1001",
                null);
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        assertThat(json(batch).getAsJsonArray("payments").asList())
                .extracting(p -> p.getAsJsonObject().get("id").getAsString()).containsExactly("pay_1003", "pay_1001");
    }

    @Test
    void bodiesWhereTheRuleHasNoneNonJsonAndOversizedBodiesAreRefused() throws Exception {
        HttpResponse<String> getWithBody = send("GET", "/api/v1/payments/pay_1001", "{}");
        assertThat(getWithBody.statusCode()).isEqualTo(400);
        HttpResponse<String> text = CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + transcoder.port() + "/api/v1/payments"))
                .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(text.statusCode()).isEqualTo(415);
        HttpResponse<String> big = send("POST", "/api/v1/payments", "{\"userId\":\"" + "x".repeat(5000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(json(big).get("code").getAsInt()).isEqualTo(8);
    }

    @Test
    void theOpenApiDocumentDescribesTheRoutes() throws Exception {
        HttpResponse<String> response = send("GET", "/api/openapi.json", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject doc = json(response);
        assertThat(doc.get("openapi").getAsString()).isEqualTo("3.1.0");
        JsonObject paths = doc.getAsJsonObject("paths");
        assertThat(paths.keySet()).contains("/api/v1/payments", "/api/v1/payments/{payment_id}",
                "/api/v1/payments/{payment_id}:capture", "/api/v1/users/{user_id}/payments",
                "/api/v1/orders/{order_id}/payment", "/api/v1/payments/byOrder/{order_id}",
                "/api/v1/payments:batchGetByOrder");
        JsonObject list = paths.getAsJsonObject("/api/v1/users/{user_id}/payments").getAsJsonObject("get");
        assertThat(list.getAsJsonArray("parameters").asList())
                .extracting(p -> p.getAsJsonObject().get("name").getAsString())
                .containsExactly("user_id", "pageSize", "pageToken");
        JsonObject money = doc.getAsJsonObject("components").getAsJsonObject("schemas")
                .getAsJsonObject("atrium.payments.v1.Money").getAsJsonObject("properties");
        assertThat(money.getAsJsonObject("units").get("type").getAsString()).isEqualTo("string");
    }
}
