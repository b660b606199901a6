package io.atrium.bff.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@MicronautTest
@Property(name = "micronaut.server.port", value = "-1") // a free port: a running stack may hold 8081/8082
@Property(name = "atrium.bff.config", value = "src/test/resources/health-web.yaml")
class HealthIT {

    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void reportsUpOnHealthEndpoint() {
        HttpResponse<String> response = client.toBlocking().exchange(HttpRequest.GET("/health"), String.class);

        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void graphqlGetAnswersVaryOnTheSessionCookieAndTheForwardedHeaders() {
        // no router here, so the answer is SCHEMA_NOT_READY; what counts is that a GET names what it depends on
        var answer = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET("/web/graphql?query=%7B__typename%7D")
                        .header("apollo-require-preflight", "true"), String.class));
        assertThat(answer.getStatus().getCode()).isEqualTo(503);
        assertThat(answer.getResponse().getBody(String.class)).get().asString().contains("SCHEMA_NOT_READY");
        assertThat(java.util.Arrays.stream(answer.getResponse().getHeaders().getAll("vary").stream()
                .collect(java.util.stream.Collectors.joining(",")).split(",")).map(String::strip).toList())
                .containsExactlyInAnyOrder("accept", "authorization", "x-atrium-assertion", "apollographql-client-name",
                        "apollographql-client-version", "graphql-client-name", "graphql-client-version", "Cookie");
    }

    @Test
    void unknownPathsGetProblemDocuments() {
        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET("/nope"), String.class));
        assertThat(refused.getStatus().getCode()).isEqualTo(404);
        assertThat(refused.getResponse().getContentType()).get().asString().contains("application/problem+json");
        assertThat(refused.getResponse().getBody(String.class)).get().asString().contains("ROUTE_NOT_FOUND");
    }
}
