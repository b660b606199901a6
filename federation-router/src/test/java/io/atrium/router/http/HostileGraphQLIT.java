package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GraphQL abuse against a router with its default limits, every subgraph a real server here that counts what reaches
 * it: fragment cycles, variables of the wrong type, invalid UTF-8, huge strings and documents, batched arrays of
 * thousands of operations, deep nesting. Each gets a clear error with its code, and no subgraph sees a request.
 */
class HostileGraphQLIT {
    private static final AtomicInteger SUBGRAPH_CALLS = new AtomicInteger();
    private static HttpServer subgraph;
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        subgraph = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        subgraph.createContext("/", exchange -> {
            SUBGRAPH_CALLS.incrementAndGet();
            byte[] body = "{\"data\":null}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        subgraph.start();
        String url = "http://127.0.0.1:" + subgraph.getAddress().getPort() + "/graphql";
        router = RouterUnderTest.start("""
                format_version: 1
                hot_reload: false
                subgraphs:
                  accounts: { url: "%1$s" }
                  products: { url: "%1$s" }
                  inventory: { url: "%1$s" }
                  reviews: { url: "%1$s" }
                """.formatted(url));
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        subgraph.stop(0);
    }

    @BeforeEach
    void reset() {
        SUBGRAPH_CALLS.set(0);
    }

    private static HttpResponse<String> post(byte[] body) throws Exception {
        return router.client().send(HttpRequest.newBuilder(router.uri("/graphql"))
                .header("content-type", "application/json").header("accept", "application/graphql-response+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).as("a GraphQL error with its code").contains("\"errors\"").contains("\"code\":\"" + code + "\"");
        assertThat(SUBGRAPH_CALLS).as("nothing reaches a subgraph").hasValue(0);
    }

    @Test
    void aFragmentCycleIsAValidationError() throws Exception {
        assertRefused(post(RouterUnderTest.queryBody(
                "query { topProducts { ...A } } fragment A on Product { ...B } fragment B on Product { ...A }")),
                400, "GRAPHQL_VALIDATION_FAILED");
        assertRefused(post(RouterUnderTest.queryBody("query { topProducts { ...A } } fragment A on Product { upc ...A }")),
                400, "GRAPHQL_VALIDATION_FAILED");
    }

    @Test
    void variablesOfTheWrongTypeAreBadUserInput() throws Exception {
        String query = "query($first: Int) { topProducts(first: $first) { upc } }";
        for (String value : new String[] {"\"five\"", "5.5", "{\"a\":1}", "[1]", "99999999999999999999"}) {
            HttpResponse<String> response = post("{\"query\":\"" + query + "\",\"variables\":{\"first\":" + value + "}}");
            assertRefused(response, 400, "BAD_USER_INPUT");
        }
        assertRefused(post("{\"query\":\"" + query + "\",\"variables\":[1,2]}"), 400, "BAD_REQUEST");
    }

    @Test
    void invalidUtf8IsABadRequest() throws Exception {
        byte[] prefix = "{\"query\":\"{ topProducts { upc } }\",\"operationName\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + 4];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3; // a lead byte without its continuation
        body[prefix.length + 1] = (byte) 0x28;
        body[prefix.length + 2] = '"';
        body[prefix.length + 3] = '}';
        assertRefused(post(body), 400, "BAD_REQUEST");
    }

    @Test
    void hugeStringsAndDocumentsAreCutOff() throws Exception {
        String hugeArgument = "{ topProducts(first: 1) { upc name @deprecated(reason: \\\"" + "x".repeat(3_000_000) + "\\\") } }";
        for (int round = 0; round < 5; round++) {
            // the answer comes before the body is read: it must reach the client however far its sending got
            HttpResponse<String> response = post("{\"query\":\"" + hugeArgument + "\"}");
            assertThat(response.statusCode()).as("over the default body limit (2 MiB)").isEqualTo(413);
            assertThat(response.body()).contains("\"code\":\"");
        }
        assertThat(SUBGRAPH_CALLS).hasValue(0);
        String manyTokens = "{" + " __typename".repeat(20_000) + " }";
        assertRefused(post(RouterUnderTest.queryBody(manyTokens)), 400, "MAX_TOKENS_LIMIT");
    }

    @Test
    void aBatchOfThousandsOfOperationsIsRefusedAsAWhole() throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 5_000; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"query\":\"{ topProducts { upc } }\"}");
        }
        HttpResponse<String> response = post(batch.append(']').toString());
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 413);
        assertThat(response.body().length()).as("one short answer, not 5,000").isLessThan(2_000);
        assertThat(SUBGRAPH_CALLS).hasValue(0);
    }

    @Test
    void deepNestingIsRefusedBeforePlanning() throws Exception {
        String nested = "{ topProducts { reviews { author { reviews { author { reviews { author { reviews { author {"
                + " reviews { author { username } } } } } } } } } } } }";
        assertRefused(post(RouterUnderTest.queryBody(nested)), 400, "MAX_DEPTH_LIMIT");
        String brackets = "{" + " topProducts {".repeat(3_000) + " upc" + " }".repeat(3_001);
        HttpResponse<String> response = post(RouterUnderTest.queryBody(brackets));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(SUBGRAPH_CALLS).hasValue(0);
    }
}
