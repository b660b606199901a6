package io.atrium.bff.mobile;

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
@Property(name = "atrium.bff.config", value = "src/test/resources/health-mobile.yaml")
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
    void answersGraphQLWithSchemaNotReadyBeforeTheRegistryAnswers() {
        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.POST("/graphql", "{\"query\":\"{ __typename }\"}")
                        .contentType("application/json"), String.class));
        assertThat(refused.getStatus().getCode()).isEqualTo(503);
        assertThat(refused.getResponse().getBody(String.class)).get().asString().contains("SCHEMA_NOT_READY");
    }
}
