package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operation limits over HTTP on a router started here: each limit at its value and one past it, per-client
 * overrides and warn mode, the body size. The operations are introspection and {@code __typename}, which need no
 * subgraph, so "passes" is a 200 with data.
 */
class OperationLimitsIT {
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.start("""
                format_version: 1
                hot_reload: false
                limits:
                  max_depth: 3
                  max_height: 6
                  max_aliases: 2
                  max_root_fields: 3
                  max_directives: 2
                  max_tokens: 30
                  max_request_bytes: 4096
                  clients:
                    deep: { max_depth: 5 }
                    bulk: { max_root_fields: 100 }
                    lenient: { mode: warn }
                """);
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    private static HttpResponse<String> post(String query, String... headers) throws Exception {
        return router.post(RouterUnderTest.queryBody(query), headers);
    }

    private static HttpResponse<String> postBody(String body, String... headers) throws Exception {
        return router.post(body, headers);
    }

    private static void assertPasses(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"data\":").doesNotContain("errors");
    }

    private static void assertRefused(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"" + code + "\"").doesNotContain("\"data\"");
    }

    @Test
    void depth() throws Exception {
        assertPasses(post("{ __schema { queryType { name } } }"));
        assertRefused(post("{ __schema { types { fields { name } } } }"), "MAX_DEPTH_LIMIT");
    }

    @Test
    void height() throws Exception {
        assertPasses(post("{ __typename __schema { queryType { name } mutationType { name } } }"));
        assertRefused(post("{ __typename __schema { queryType { name kind } mutationType { name } } }"), "MAX_HEIGHT_LIMIT");
        assertPasses(post("{ a: __typename __typename }")); // one field under two names: height 1
    }

    @Test
    void aliases() throws Exception {
        assertPasses(post("{ a: __typename b: __typename }"));
        assertRefused(post("{ a: __typename b: __typename c: __typename }"), "MAX_ALIASES_LIMIT");
    }

    @Test
    void rootFields() throws Exception {
        assertPasses(post("{ __typename __typename __typename }"));
        assertRefused(post("{ __typename __typename __typename __typename }"), "MAX_ROOT_FIELDS_LIMIT");
    }

    @Test
    void directives() throws Exception {
        assertPasses(post("{ a: __typename @include(if: true) b: __typename @skip(if: false) }"));
        assertRefused(post("{ a: __typename @include(if: true) @skip(if: false) b: __typename @skip(if: false) }"),
                "MAX_DIRECTIVES_LIMIT");
    }

    @Test
    void tokensAreCutOffWhileParsingAndCheckedPerClient() throws Exception {
        String thirty = "{" + " __typename".repeat(28) + " }";
        assertPasses(post(thirty, "apollographql-client-name", "bulk"));
        assertRefused(post("{" + " __typename".repeat(29) + " }", "apollographql-client-name", "bulk"), "MAX_TOKENS_LIMIT");
        // the warn-mode client raises the parser's cut-off to graphql-java's; the others are still held to 30
        assertPasses(post("{" + " __typename".repeat(40) + " }", "apollographql-client-name", "lenient"));
    }

    @Test
    void aRefusalIs400UnderBothFormatsAndOverGet() throws Exception {
        String deep = "{ __schema { types { fields { name } } } }";
        assertRefused(post(deep, "accept", "application/graphql-response+json"), "MAX_DEPTH_LIMIT");
        URI uri = router.uri("/graphql?query=" + URLEncoder.encode(deep, StandardCharsets.UTF_8));
        var get = router.client().send(HttpRequest.newBuilder(uri).header("apollo-require-preflight", "1").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(get, "MAX_DEPTH_LIMIT");
    }

    @Test
    void clientsHaveTheirOwnLimitsAndWarnModeRunsTheOperation() throws Exception {
        String depthFour = "{ __schema { types { fields { name } } } }";
        assertPasses(post(depthFour, "apollographql-client-name", "deep"));
        assertPasses(post(depthFour, "graphql-client-name", "lenient"));
        assertRefused(post(depthFour, "apollographql-client-name", "someone-else"), "MAX_DEPTH_LIMIT");
        assertRefused(post("{ a: __typename b: __typename c: __typename }", "apollographql-client-name", "deep"),
                "MAX_ALIASES_LIMIT"); // the endpoint's other limits still apply to the client
    }

    @Test
    void theBodySizeLimitIs413OnePastIt() throws Exception {
        String prefix = "{\"query\":\"{ __typename";
        String suffix = " }\"}";
        String atLimit = prefix + " ".repeat(4096 - prefix.length() - suffix.length()) + suffix;
        assertThat(atLimit).hasSize(4096);
        assertPasses(postBody(atLimit));
        var tooLarge = postBody(atLimit.replace("{ __typename", "{  __typename"));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
    }
}
