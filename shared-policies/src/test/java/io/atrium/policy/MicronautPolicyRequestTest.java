package io.atrium.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import org.junit.jupiter.api.Test;

class MicronautPolicyRequestTest {

    @Test
    void readsThroughToTheMicronautRequest() {
        HttpRequest<?> request = HttpRequest.GET("/graphql?op=Orders&api_key=a%2Bb")
                .header("X-Forwarded-For", "198.51.100.2")
                .header("x-forwarded-for", "10.0.0.5")
                .header("Authorization", "Bearer t");
        PolicyRequest view = MicronautPolicyRequest.of(request, "graphql");

        assertThat(view.method()).isEqualTo("GET");
        assertThat(view.path()).isEqualTo("/graphql");
        assertThat(view.query()).isEqualTo("op=Orders&api_key=a%2Bb");
        assertThat(view.queryParameter("api_key")).isEqualTo("a+b");
        assertThat(view.header("authorization")).isEqualTo("Bearer t");
        assertThat(view.headerValues("X-Forwarded-For")).containsExactly("198.51.100.2", "10.0.0.5");
        assertThat(view.routeId()).isEqualTo("graphql");
    }
}
