package io.atrium.bff.web;

import static io.atrium.graphql.testing.TestHttp.await;
import static io.atrium.graphql.testing.TestHttp.code;
import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonWriter;
import io.atrium.graphql.testing.RouterProcess;
import io.atrium.graphql.testing.StackFixtures;
import io.atrium.graphql.testing.TestHttp;
import io.atrium.graphql.testing.TestSubgraph;
import io.atrium.graphql.trusted.Sha256;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bff-web over real HTTP on loopback with the real router in registry mode and a products subgraph: the web fields
 * (published by the BFF at start) planned through the router, the web view, APQ over GET with ETag and 304, the
 * router's merged Cache-Control passed on, and persisted documents from audit ({@code log_unknown}) to safelist
 * ({@code allow_only_known}).
 */
class WebBffIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PAGE = "query Page { productPage(upc: \"2\") { product { upc name "
            + "priceLabel(locale: \"en-US\") } related { upc name } } }";
    private static final String TOP = "query Top { topProducts(first: 2) { upc name } }";

    private static TestSubgraph products;
    private static RouterProcess router;
    private static Path manifest;
    /** An audit-mode BFF (unknown operations run and are logged). */
    private static Bff audit;

    private record Bff(EmbeddedServer server, String url) implements AutoCloseable {
        @Override
        public void close() {
            server.getApplicationContext().close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        products = new TestSubgraph(StackFixtures.products());
        router = new RouterProcess(Files.createTempDirectory("web-registry"));
        admin("PUT", "/registry/subgraphs/products", Map.of("routing_url", products.url(),
                "sdl", StackFixtures.resource("/fixtures/stack/products.graphql")));
        manifest = Files.createTempFile("web-manifest", ".json");
        Files.write(manifest, JsonWriter.write(Map.of("format", "apollo-persisted-query-manifest", "version", 1,
                "operations", List.of(Map.of("id", Sha256.hex(PAGE), "name", "Page", "type", "query", "body", PAGE)))));
        audit = bff("log_unknown");
    }

    @AfterAll
    static void stop() throws Exception {
        if (audit != null) {
            audit.close();
        }
        if (router != null) {
            router.close();
        }
        if (products != null) {
            products.close();
        }
    }

    /** A bff-web with its fields published to the router's registry, once its view includes them. */
    private static Bff bff(String trustedMode) throws Exception {
        int port = RouterProcess.freePort();
        Path config = Files.createTempFile("web", ".yaml");
        Files.writeString(config, """
                format_version: 1
                name: bff-web
                router: { url: %s }
                registry: { admin_url: %s, poll_ms: 100 }
                subgraph: { name: bff-web, routing_url: http://127.0.0.1:%d/subgraph }
                view: { exclude_tags: [ internal, mobile ] }
                trusted_documents: { mode: %s, manifests: [ %s ] }
                """.formatted(router.graphqlUrl(), router.adminUrl(), port, trustedMode, manifest));
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", port,
                "micronaut.server.host", "127.0.0.1", "atrium.bff.config", config.toString(),
                "atrium.router.admin.token", RouterProcess.TOKEN));
        Bff bff = new Bff(server, "http://127.0.0.1:" + port);
        await("the web fields in the view", () -> !post(bff, PAGE).body().contains("\"errors\""));
        return bff;
    }

    @Test
    void webFieldsArePlannedThroughTheRouterAndPriceLabelWorksThoughPriceIsHidden() {
        HttpResponse<String> page = post(audit, PAGE);
        assertThat(page.statusCode()).isEqualTo(200);
        Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) JsonReader.read(page.body())).get("data");
        assertThat(data).isEqualTo(Map.of("productPage", Map.of(
                "product", Map.of("upc", "2", "name", "Product 2", "priceLabel", "$200.00"),
                "related", List.of(Map.of("upc", "3", "name", "Product 3"), Map.of("upc", "4", "name", "Product 4"),
                        Map.of("upc", "5", "name", "Product 5")))));
        // price feeds priceLabel through @requires, yet the web view hides it (tagged internal), as it hides the report
        assertThat(code(post(audit, "{ topProducts(first: 1) { price } }"))).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        assertThat(code(post(audit, "{ internalReport }"))).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        String types = post(audit, "{ __type(name: \"Product\") { fields { name } } }").body();
        assertThat(types).contains("\"priceLabel\"", "\"webBadge\"").doesNotContain("\"price\"");
    }

    @Test
    void apqOverGetIsTaggedAndRevalidatedWith304() {
        String query = "query Apq { topProducts(first: 3) { upc name } }";
        String hash = "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + Sha256.hex(query) + "\"}}";
        assertThat(code(get(audit, "extensions=" + enc(hash), null))).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
        HttpResponse<String> registered = get(audit, "query=" + enc(query) + "&extensions=" + enc(hash), null);
        assertThat(registered.statusCode()).isEqualTo(200);
        String etag = registered.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> byHash = get(audit, "extensions=" + enc(hash), null);
        assertThat(byHash.body()).isEqualTo(registered.body()).contains("Product 3");
        assertThat(byHash.headers().firstValue("etag")).hasValue(etag);
        HttpResponse<String> revalidated = get(audit, "extensions=" + enc(hash), etag);
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(revalidated.headers().firstValue("etag")).hasValue(etag);
        assertThat(get(audit, "extensions=" + enc(hash), "\"another\"").statusCode()).isEqualTo(200);
    }

    @Test
    void theRoutersMergedCacheControlIsPassedOnAndErrorsAreNotStored() {
        products.cacheControl = "public, max-age=60";
        try {
            HttpResponse<String> cacheable = get(audit, "query=" + enc(TOP), null);
            assertThat(cacheable.statusCode()).isEqualTo(200);
            assertThat(cacheable.headers().firstValue("cache-control")).hasValue("public, max-age=60");
            products.cacheControl = "private, max-age=30";
            assertThat(get(audit, "query=" + enc(TOP), null).headers().firstValue("cache-control"))
                    .hasValue("private, max-age=30");
            // the web fields' subgraph gives no policy: an answer that needs it may not be stored
            assertThat(get(audit, "query=" + enc(PAGE), null).headers().firstValue("cache-control"))
                    .hasValue("no-store");
            HttpResponse<String> failed = get(audit, "query=" + enc("{ topProducts(first: 1) { nope } }"), null);
            assertThat(failed.headers().firstValue("cache-control").orElse("")).contains("no-store");
        } finally {
            products.cacheControl = null;
        }
    }

    @Test
    void persistedDocumentsGoFromAuditToSafelist() throws Exception {
        // audit: an operation outside the manifest still runs
        assertThat(post(audit, TOP).body()).contains("Product 2").doesNotContain("\"errors\"");
        try (Bff safelist = bff("allow_only_known")) {
            assertThat(post(safelist, PAGE).body()).contains("$200.00");
            HttpResponse<String> byId = send(HttpRequest.newBuilder(URI.create(safelist.url() + "/web/graphql"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"documentId\":\"" + Sha256.hex(PAGE) + "\"}")).build());
            assertThat(byId.body()).contains("$200.00");
            HttpResponse<String> unknown = post(safelist, TOP);
            assertThat(unknown.statusCode()).isEqualTo(403);
            assertThat(code(unknown)).isEqualTo("QUERY_NOT_IN_SAFELIST");
        }
    }

    private static HttpResponse<String> post(Bff bff, String query) {
        return send(HttpRequest.newBuilder(URI.create(bff.url() + "/web/graphql"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonWriter.write(Map.of("query", query)))).build());
    }

    private static HttpResponse<String> get(Bff bff, String queryString, String ifNoneMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bff.url() + "/web/graphql?" + queryString))
                .header("apollo-require-preflight", "true").GET();
        if (ifNoneMatch != null) {
            request.header("if-none-match", ifNoneMatch);
        }
        return send(request.build());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void admin(String method, String path, Object body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(router.adminUrl() + path))
                .header("Authorization", "Bearer " + RouterProcess.TOKEN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JsonWriter.write(body))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return TestHttp.send(HTTP, request);
    }
}
