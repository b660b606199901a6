package io.atrium.graphql.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GraphQL over HTTP decoding: POST bodies, GET query strings, negotiation, CSRF, bad input. */
class GraphQLHttpParserTest {
    private static HeaderLookup headers(String... pairs) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map::get;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void postDecodesEveryMemberAndTheClient() {
        var result = GraphQLHttpParser.post(headers("content-type", "application/json",
                "apollographql-client-name", "web", "apollographql-client-version", "1.2"),
                utf8("{\"query\":\"{ a }\",\"operationName\":null,\"variables\":{\"x\":1},"
                        + "\"extensions\":{\"persistedQuery\":{\"version\":1}},\"documentId\":\"abc\"}"));
        var request = ((HttpParseResult.Parsed) result).request();
        assertThat(request.query()).isEqualTo("{ a }");
        assertThat(request.variables()).containsEntry("x", 1);
        assertThat(request.extensions()).containsKey("persistedQuery");
        assertThat(request.documentId()).isEqualTo("abc");
        assertThat(request.client()).isEqualTo(new ClientInfo("web", "1.2"));
        assertThat(request.format()).isEqualTo(ResponseFormat.JSON);
        assertThat(request.get()).isFalse();
    }

    @Test
    void getDecodesTheQueryStringIncludingJsonParameters() {
        var result = GraphQLHttpParser.get(headers("apollo-require-preflight", "1",
                "accept", "application/graphql-response+json", "graphql-client-name", "ios"),
                "query=%7B%20a%20%7D&variables=%7B%22x%22%3A2%7D&extensions=%7B%22k%22%3Atrue%7D");
        var request = ((HttpParseResult.Parsed) result).request();
        assertThat(request.query()).isEqualTo("{ a }");
        assertThat(request.variables()).containsEntry("x", 2);
        assertThat(request.extensions()).containsEntry("k", true);
        assertThat(request.get()).isTrue();
        assertThat(request.format()).isEqualTo(ResponseFormat.GRAPHQL_RESPONSE_JSON);
        assertThat(request.client().name()).isEqualTo("ios");
    }

    @Test
    void simpleRequestsAreRefusedAsCsrf() {
        var post = GraphQLHttpParser.post(headers("content-type", "text/plain; charset=utf-8"), utf8("{}"));
        assertThat(post).isInstanceOfSatisfying(HttpParseResult.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().toString()).contains("CSRF_PREVENTED");
        });
        assertThat(GraphQLHttpParser.get(headers(), "query=%7Ba%7D")).isInstanceOf(HttpParseResult.Refused.class);
        assertThat(GraphQLHttpParser.get(headers("x-apollo-operation-name", "A"), "query=%7Ba%7D"))
                .isInstanceOf(HttpParseResult.Parsed.class);
    }

    @Test
    void badJsonAndWrongTypesAreBadRequests() {
        var json = headers("content-type", "application/json");
        for (String body : new String[] {"{", "[1]", "{\"query\":1}", "{\"variables\":[]}", "{\"extensions\":\"x\"}"}) {
            assertThat(GraphQLHttpParser.post(json, utf8(body))).as(body)
                    .isInstanceOfSatisfying(HttpParseResult.Refused.class, r -> {
                        assertThat(r.status()).isEqualTo(400);
                        assertThat(r.body().toString()).contains("BAD_REQUEST");
                    });
        }
        assertThat(GraphQLHttpParser.get(headers("apollo-require-preflight", "1"), "query=x&variables=%7B"))
                .isInstanceOf(HttpParseResult.Refused.class);
    }

    @Test
    void negotiationPicksGraphQLResponseJsonOnlyWhenAsked() {
        assertThat(ResponseFormat.negotiate(null)).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.negotiate("*/*")).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.negotiate("application/graphql-response+json, application/json;q=0.9"))
                .isEqualTo(ResponseFormat.GRAPHQL_RESPONSE_JSON);
        assertThat(ResponseFormat.GRAPHQL_RESPONSE_JSON.requestErrorStatus()).isEqualTo(400);
        assertThat(ResponseFormat.JSON.requestErrorStatus()).isEqualTo(200);
    }
}
