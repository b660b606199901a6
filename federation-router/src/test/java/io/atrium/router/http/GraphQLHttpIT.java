package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** GraphQL over HTTP on a real embedded server: negotiation, CSRF, GET, request errors, health. */
class GraphQLHttpIT {
    private static EmbeddedServer server;
    private static HttpClient client;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        Map<String, Object> fixture = new Yaml().load(Files.readString(
                Path.of("src/test/resources/fixtures/demo/benchmark-query.yaml")));
        Path supergraph = Files.createTempFile("supergraph", ".graphql");
        Files.writeString(supergraph, (String) fixture.get("supergraph"));
        Path config = Files.createTempFile("router", ".yaml");
        Files.writeString(config, "format_version: 1\nquery_plan_header: x-plan\nhot_reload: false\n");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "atrium.router.config", config.toString(),
                "atrium.router.supergraph", supergraph.toString()));
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private static HttpResponse<String> post(String body, String contentType, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.getURI().resolve("/graphql"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        if (accept != null) {
            request.header("accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String query, String... headers) throws Exception {
        URI uri = server.getURI().resolve("/graphql?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpOnceASupergraphIsLoaded() throws Exception {
        var response = client.send(HttpRequest.newBuilder(server.getURI().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void healthIs503WithoutASupergraph() throws Exception {
        try (EmbeddedServer empty = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1))) {
            var response = client.send(HttpRequest.newBuilder(empty.getURI().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
        }
    }

    @Test
    void answersTypenameAndIntrospectionFromTheApiSchema() throws Exception {
        var response = post("{\"query\":\"{ __typename __type(name: \\\"Product\\\") { name } }\"}",
                "application/json", "application/json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"data\":{\"__typename\":\"Query\",\"__type\":{\"name\":\"Product\"}}}");
    }

    @Test
    void requestErrorsAre400UnderGraphQLResponseJsonAnd200UnderJson() throws Exception {
        var strict = post("{\"query\":\"{ nope }\"}", "application/json", "application/graphql-response+json");
        assertThat(strict.statusCode()).isEqualTo(400);
        assertThat(strict.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/graphql-response+json"));
        assertThat(strict.body()).contains("GRAPHQL_VALIDATION_FAILED");
        var legacy = post("{\"query\":\"{ nope\"}", "application/json", "application/json");
        assertThat(legacy.statusCode()).isEqualTo(200);
        assertThat(legacy.body()).contains("GRAPHQL_PARSE_FAILED");
    }

    @Test
    void variablesThatDoNotCoerceAreBadUserInput() throws Exception {
        var response = post("{\"query\":\"query($id: ID!) { user(id: $id) { name } }\",\"variables\":{}}",
                "application/json", "application/graphql-response+json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("BAD_USER_INPUT");
    }

    @Test
    void simpleRequestsAreRefusedAsCsrf() throws Exception {
        var post = post("{\"query\":\"{ __typename }\"}", "text/plain", null);
        assertThat(post.statusCode()).isEqualTo(400);
        assertThat(post.body()).contains("CSRF_PREVENTED");
        assertThat(get("{ __typename }").body()).contains("CSRF_PREVENTED");
    }

    @Test
    void returnsThePlanOnlyWhenTheConfiguredHeaderIsSent() throws Exception {
        String body = "{\"query\":\"{ __typename }\"}";
        var without = post(body, "application/json", "application/json");
        assertThat(without.body()).doesNotContain("queryPlan");
        var with = client.send(HttpRequest.newBuilder(server.getURI().resolve("/graphql"))
                .header("content-type", "application/json").header("x-plan", "1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(with.body()).contains("\"extensions\":{\"queryPlan\":\"QueryPlan {");
    }

    @Test
    void getServesQueriesWithAPreflightHeaderAndRefusesMutations() throws Exception {
        var query = get("{ __typename }", "apollo-require-preflight", "true");
        assertThat(query.statusCode()).isEqualTo(200);
        assertThat(query.body()).isEqualTo("{\"data\":{\"__typename\":\"Query\"}}");
    }

    @Test
    void unknownPathsAre404AndOtherMethods405NamingTheAllowedOnes() throws Exception {
        var missing = client.send(HttpRequest.newBuilder(server.getURI().resolve("/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        var put = client.send(HttpRequest.newBuilder(server.getURI().resolve("/graphql"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("allow")).hasValue("GET, POST");
    }

    /** HTTP/1.1 pipelining: both requests written at once, answered in the order they were sent. */
    @Test
    void pipelinedRequestsAreAnsweredInOrderAndOversizedBodiesRefused() throws Exception {
        String body = "{\"query\":\"{ __typename }\"}";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                    + "content-length: " + body.length() + "\r\n\r\n" + body
                    + "GET /health HTTP/1.1\r\nhost: x\r\n\r\n"
                    + "POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nconnection: close\r\n"
                    + "content-length: " + (io.atrium.graphql.limits.LimitsConfig.DEFAULT_MAX_REQUEST_BYTES + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int typename = answers.indexOf("{\"data\":{\"__typename\":\"Query\"}}");
            int health = answers.indexOf("\"status\":\"UP\"");
            int tooLarge = answers.indexOf("HTTP/1.1 413");
            assertThat(typename).isPositive();
            assertThat(health).isGreaterThan(typename);
            assertThat(tooLarge).isGreaterThan(health);
        }
    }
}
