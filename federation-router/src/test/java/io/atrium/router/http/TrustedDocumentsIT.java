package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.graphql.trusted.Sha256;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trusted documents for two clients over HTTP — {@code web} allows only its Apollo manifest's operations,
 * {@code ios} logs operations outside its Relay map — and APQ over POST and GET for everyone else.
 */
class TrustedDocumentsIT {
    private static final String TYPENAME = "{ __typename }";
    private static final String SCHEMA = "query Schema { __schema { queryType { name } } }";
    private static final String TYPENAME_DATA = "{\"data\":{\"__typename\":\"Query\"}}";
    private static final String SCHEMA_DATA = "{\"data\":{\"__schema\":{\"queryType\":{\"name\":\"Query\"}}}}";
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        Path dir = RouterUnderTest.newDirectory();
        Files.writeString(dir.resolve("web.json"), "{\"format\":\"apollo-persisted-query-manifest\",\"version\":1,"
                + "\"operations\":[{\"id\":\"" + Sha256.hex(TYPENAME) + "\",\"body\":\"" + TYPENAME
                + "\",\"name\":null,\"type\":\"query\"}]}");
        Files.writeString(dir.resolve("ios.json"), "{\"ios-schema-1\":\"" + SCHEMA + "\"}");
        router = RouterUnderTest.start(dir, RouterUnderTest.benchmarkSupergraph(), """
                format_version: 1
                hot_reload: false
                trusted_documents:
                  mode: off
                  clients:
                    web: { mode: allow_only_known, manifests: [web.json] }
                    ios: { mode: log_unknown, manifests: [ios.json] }
                apq: { max_entries: 100 }
                """);
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    private static HttpResponse<String> post(String body, String clientName) throws Exception {
        return clientName == null ? router.post(body) : router.post(body, "apollographql-client-name", clientName);
    }

    private static HttpResponse<String> get(String query, String extensions) throws Exception {
        StringBuilder uri = new StringBuilder("/graphql?");
        if (query != null) {
            uri.append("query=").append(URLEncoder.encode(query, StandardCharsets.UTF_8)).append('&');
        }
        uri.append("extensions=").append(URLEncoder.encode(extensions, StandardCharsets.UTF_8));
        return router.client().send(HttpRequest.newBuilder(router.uri(uri.toString()))
                .header("apollo-require-preflight", "1").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String text(String query) {
        return "\"query\":\"" + query.replace("\"", "\\\"") + "\"";
    }

    private static String hashOf(String query) {
        return "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + Sha256.hex(query) + "\"}}";
    }

    private static void assertCode(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("\"code\":\"" + code + "\"");
        assertThat(response.headers().firstValue("cache-control")).hasValue("private, no-cache, must-revalidate");
    }

    @Test
    void webRunsOnlyItsManifestByHashByDocumentIdOrByItsExactText() throws Exception {
        assertThat(post("{\"extensions\":" + hashOf(TYPENAME) + "}", "web").body()).isEqualTo(TYPENAME_DATA);
        assertThat(post("{\"documentId\":\"" + Sha256.hex(TYPENAME) + "\"}", "web").body()).isEqualTo(TYPENAME_DATA);
        assertThat(post("{" + text(TYPENAME) + "}", "web").body()).isEqualTo(TYPENAME_DATA);
        assertCode(post("{" + text(SCHEMA) + "}", "web"), 403, "QUERY_NOT_IN_SAFELIST");
        assertCode(post("{\"documentId\":\"ios-schema-1\"}", "web"), 404, "PERSISTED_QUERY_NOT_IN_LIST");
        // no APQ for web: a hash with its text is still not in the list
        assertCode(post("{" + text(SCHEMA) + ",\"extensions\":" + hashOf(SCHEMA) + "}", "web"), 404,
                "PERSISTED_QUERY_NOT_IN_LIST");
    }

    @Test
    void iosResolvesItsRelayIdsAndStillRunsUnknownOperations() throws Exception {
        assertThat(post("{\"documentId\":\"ios-schema-1\"}", "ios").body()).isEqualTo(SCHEMA_DATA);
        assertThat(post("{" + text(TYPENAME) + "}", "ios").body()).isEqualTo(TYPENAME_DATA);
        assertCode(post("{\"documentId\":\"ios-schema-1\"," + text(SCHEMA) + "}", "ios"), 400, "CANNOT_SEND_PQ_ID_AND_BODY");
    }

    @Test
    void apqOverPost() throws Exception {
        String query = "query ApqPost { __typename }";
        assertCode(post("{\"extensions\":" + hashOf(query) + "}", null), 200, "PERSISTED_QUERY_NOT_FOUND");
        assertCode(post("{" + text(query + " ") + ",\"extensions\":" + hashOf(query) + "}", null), 400,
                "PERSISTED_QUERY_HASH_MISMATCH");
        assertThat(post("{" + text(query) + ",\"extensions\":" + hashOf(query) + "}", null).body()).isEqualTo(TYPENAME_DATA);
        assertThat(post("{\"extensions\":" + hashOf(query) + "}", null).body()).isEqualTo(TYPENAME_DATA);
    }

    @Test
    void apqOverGet() throws Exception {
        String query = "query ApqGet { __schema { queryType { name } } }";
        assertCode(get(null, hashOf(query)), 200, "PERSISTED_QUERY_NOT_FOUND");
        assertThat(get(query, hashOf(query)).body()).isEqualTo(SCHEMA_DATA);
        var byHash = get(null, hashOf(query));
        assertThat(byHash.statusCode()).isEqualTo(200);
        assertThat(byHash.body()).isEqualTo(SCHEMA_DATA);
    }
}
