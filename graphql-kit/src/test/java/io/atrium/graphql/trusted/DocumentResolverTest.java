package io.atrium.graphql.trusted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.graphql.config.GraphQLConfigException;
import io.atrium.graphql.http.ClientInfo;
import io.atrium.graphql.http.GraphQLHttpRequest;
import io.atrium.graphql.http.ResponseFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trusted documents per client (both manifest formats, three modes) and APQ, without a server. */
class DocumentResolverTest {
    static final String TYPENAME = "{ __typename }";
    static final String SCHEMA = "query Schema { __schema { queryType { name } } }";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private DocumentResolver resolver(String yamlLikeMode) throws Exception {
        Path apollo = dir.resolve("web.json");
        Files.writeString(apollo, "{\"format\":\"apollo-persisted-query-manifest\",\"version\":1,\"operations\":[{\"id\":\""
                + Sha256.hex(TYPENAME) + "\",\"body\":\"" + TYPENAME + "\",\"name\":null,\"type\":\"query\"}]}");
        Path relay = dir.resolve("ios.json");
        Files.writeString(relay, "{\"ios-1\":\"" + SCHEMA + "\"}");
        TrustedDocumentsConfig config = TrustedDocumentsConfig.read(Map.of("mode", yamlLikeMode, "clients", Map.of(
                "web", Map.of("mode", "allow_only_known", "manifests", List.of("web.json")),
                "ios", Map.of("mode", "log_unknown", "manifests", List.of("ios.json")))), null,
                "trusted_documents", "apq").resolveAgainst(dir);
        return DocumentResolver.of(config, registry);
    }

    private static GraphQLHttpRequest request(String client, String query, String documentId, Map<String, Object> extensions) {
        return new GraphQLHttpRequest(query, null, null, extensions, documentId, false, ResponseFormat.JSON,
                new ClientInfo(client, null));
    }

    private static DocumentResolution resolve(DocumentResolver resolver, GraphQLHttpRequest request) {
        return resolver.resolve(request).toCompletableFuture().join();
    }

    private static Map<String, Object> pq(String hash) {
        return Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
    }

    private static String code(DocumentResolution resolution) {
        return resolution instanceof DocumentResolution.Refused r ? r.status() + " " + r.code() : "ran";
    }

    @Test
    void allowOnlyKnownRunsTrustedIdsAndTextsOnly() throws Exception {
        DocumentResolver resolver = resolver("off");
        assertThat(resolve(resolver, request("web", null, null, pq(Sha256.hex(TYPENAME)))))
                .isEqualTo(new DocumentResolution.Resolved(TYPENAME));
        assertThat(resolve(resolver, request("web", TYPENAME, null, Map.of()))).isEqualTo(new DocumentResolution.Resolved(TYPENAME));
        assertThat(code(resolve(resolver, request("web", SCHEMA, null, Map.of())))).isEqualTo("403 QUERY_NOT_IN_SAFELIST");
        assertThat(code(resolve(resolver, request("web", null, "ios-1", Map.of())))).isEqualTo("404 PERSISTED_QUERY_NOT_IN_LIST");
        // APQ is off for the client: registering an unknown hash does not open a way around the list
        assertThat(code(resolve(resolver, request("web", SCHEMA, null, pq(Sha256.hex(SCHEMA))))))
                .isEqualTo("404 PERSISTED_QUERY_NOT_IN_LIST");
    }

    @Test
    void logUnknownRunsEverythingAndRelayIdsResolve() throws Exception {
        DocumentResolver resolver = resolver("off");
        assertThat(resolve(resolver, request("ios", null, "ios-1", Map.of()))).isEqualTo(new DocumentResolution.Resolved(SCHEMA));
        assertThat(resolve(resolver, request("ios", TYPENAME, null, Map.of()))).isEqualTo(new DocumentResolution.Resolved(TYPENAME));
        assertThat(resolve(resolver, request("ios", SCHEMA, null, Map.of()))).isEqualTo(new DocumentResolution.Resolved(SCHEMA));
        assertThat(registry.counter("atrium.graphql.trusted_documents", "outcome", "unknown_logged").count())
                .isEqualTo(1); // TYPENAME only: SCHEMA is ios's own
        assertThat(code(resolve(resolver, request("ios", TYPENAME, "ios-1", Map.of())))).isEqualTo("400 CANNOT_SEND_PQ_ID_AND_BODY");
    }

    @Test
    void anUnknownOperationSentAgainAndAgainIsLoggedOnceButCountedEveryTime() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DocumentResolver.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            DocumentResolver resolver = resolver("off");
            for (int i = 0; i < 5; i++) {
                assertThat(resolve(resolver, request("ios", TYPENAME, null, Map.of()))).isEqualTo(new DocumentResolution.Resolved(TYPENAME));
            }
            resolve(resolver, request("ios", "{ again: __typename }", null, Map.of()));
            assertThat(registry.counter("atrium.graphql.trusted_documents", "outcome", "unknown_logged").count()).isEqualTo(6);
            assertThat(lines.list).filteredOn(e -> e.getFormattedMessage().contains("not in the client's trusted documents"))
                    .hasSize(2); // once per distinct operation
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void apqRegistersVerifiedHashesAndAnUnquotedYamlOffMeansOff() throws Exception {
        DocumentResolver resolver = resolver("off");
        String hash = Sha256.hex(SCHEMA);
        assertThat(resolve(resolver, request(null, null, null, pq(hash))))
                .isInstanceOfSatisfying(DocumentResolution.Refused.class, r -> {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.code()).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
                    assertThat(r.headers()).containsEntry("cache-control", "private, no-cache, must-revalidate");
                });
        assertThat(code(resolve(resolver, request(null, SCHEMA + " ", null, pq(hash))))).isEqualTo("400 PERSISTED_QUERY_HASH_MISMATCH");
        assertThat(resolve(resolver, request(null, SCHEMA, null, pq(hash)))).isEqualTo(new DocumentResolution.Resolved(SCHEMA));
        assertThat(resolve(resolver, request(null, null, null, pq(hash)))).isEqualTo(new DocumentResolution.Resolved(SCHEMA));
        assertThat(code(resolve(resolver, request(null, null, null,
                Map.of("persistedQuery", Map.of("version", 2, "sha256Hash", hash)))))).isEqualTo("400 PERSISTED_QUERY_NOT_SUPPORTED");
        assertThat(TrustedDocumentsConfig.read(Map.of("mode", false), null, "t", "a").endpoint().mode()).isEqualTo(TrustMode.OFF);
    }

    @Test
    void apqCanBeSwitchedOff() {
        DocumentResolver resolver = DocumentResolver.of(TrustedDocumentsConfig.read(null, Map.of("enabled", false),
                "trusted_documents", "apq"), new SimpleMeterRegistry());
        assertThat(code(resolve(resolver, request(null, null, null, pq(Sha256.hex(SCHEMA))))))
                .isEqualTo("400 PERSISTED_QUERY_NOT_SUPPORTED");
    }

    @Test
    void anApolloManifestWhoseIdIsNotTheBodysHashIsRefusedAtLoad() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\":\"apollo-persisted-query-manifest\",\"version\":1,\"operations\":"
                + "[{\"id\":\"abc\",\"body\":\"{ a }\",\"name\":\"A\",\"type\":\"query\"}]}");
        TrustedDocumentsConfig config = TrustedDocumentsConfig.read(Map.of("manifests", List.of(bad.toString())), null, "t", "a");
        assertThatThrownBy(() -> TrustedDocuments.load(config)).isInstanceOf(GraphQLConfigException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("not the SHA-256");
        assertThatThrownBy(() -> TrustedDocumentsConfig.read(Map.of("mode", "strict"), null, "trusted_documents", "apq"))
                .hasMessageContaining("trusted_documents.mode").hasMessageContaining("allow_only_known");
    }
}
