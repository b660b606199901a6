package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code introspection: false} (the compose profile): no schema through introspection, none through suggestions. */
class IntrospectionIT {
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.start("format_version: 1\nhot_reload: false\nintrospection: false\n");
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    private static HttpResponse<String> post(String query) throws Exception {
        return router.post(RouterUnderTest.queryBody(query), "accept", "application/graphql-response+json");
    }

    @Test
    void introspectionIsRefusedButTypenameStillAnswers() throws Exception {
        for (String query : new String[] {"{ __schema { types { name } } }", "{ __type(name: \"User\") { fields { name } } }"}) {
            var response = post(query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.body()).as(query).contains("INTROSPECTION_DISABLED").doesNotContain("\"data\"");
        }
        assertThat(post("{ __typename }").body()).isEqualTo("{\"data\":{\"__typename\":\"Query\"}}");
    }

    @Test
    void validationErrorsSuggestNoFieldNames() throws Exception {
        var response = post("{ topProduct { upc } me { nam } }");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("GRAPHQL_VALIDATION_FAILED").doesNotContain("Did you mean")
                .doesNotContain("topProducts").doesNotContain("\"name\"");
    }
}
