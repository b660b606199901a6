package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The router's answers carry one {@code Cache-Control} merged from the subgraph responses that made them, over real
 * HTTP with two real subgraphs on loopback: the shortest max-age, {@code private} when any part is (or the caller has
 * credentials), {@code no-store} when a subgraph says nothing, fails or answers an error, and for mutations; GET and
 * POST alike; the configured default for an answer that took no fetch; nothing at all with the block off.
 */
class CacheControlIT {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    /** {@code products} owns Product (Query.product, Query.broken, Mutation.rename); {@code reviews} adds Product.stars. */
    static String supergraph() {
        var result = Composer.compose(List.of(
                new SubgraphSource("products", "http://products.invalid/graphql", """
                        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                        type Query { product: Product, broken: String }
                        type Mutation { rename(name: String!): Product }
                        type Product @key(fields: "id") { id: ID!, name: String }
                        """),
                new SubgraphSource("reviews", "http://reviews.invalid/graphql", """
                        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
                        type Query { topStars: Int }
                        type Product @key(fields: "id") { id: ID!, stars: Int }
                        """)));
        assertThat(result).isInstanceOf(CompositionResult.Composed.class);
        return ((CompositionResult.Composed) result).supergraphSdl();
    }

    /** A subgraph answering every operation with fixed data and the {@code Cache-Control} it is told (null: none). */
    static final class Subgraph implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        volatile String cacheControl;
        /** The operations it was sent, in order. */
        final java.util.Queue<String> queries = new java.util.concurrent.ConcurrentLinkedQueue<>();

        Subgraph(String cacheControl) throws IOException {
            this.cacheControl = cacheControl;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/graphql", exchange -> {
                String query = (String) ((Map<?, ?>) Json.read(exchange.getRequestBody().readAllBytes())).get("query");
                queries.add(query);
                Object answer;
                if (query.contains("_entities")) {
                    answer = Map.of("data", Map.of("_entities", List.of(Map.of("__typename", "Product", "stars", 5))));
                } else if (query.contains("broken")) {
                    answer = Map.of("data", Map.of(), "errors", List.of(Map.of("message", "broken on purpose",
                            "path", List.of("broken"))));
                } else if (query.startsWith("mutation")) {
                    answer = Map.of("data", Map.of("rename", Map.of("__typename", "Product", "id", "1", "name", "new")));
                } else if (query.contains("topStars")) {
                    answer = Map.of("data", Map.of("topStars", 4));
                } else {
                    answer = Map.of("data", Map.of("product", Map.of("__typename", "Product", "id", "1", "name", "chair")));
                }
                byte[] body = Json.write(answer);
                exchange.getResponseHeaders().set("content-type", "application/json");
                if (this.cacheControl != null) {
                    exchange.getResponseHeaders().set("cache-control", this.cacheControl);
                }
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(threads);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
        }

        @Override
        public void close() {
            server.stop(0);
            threads.close();
        }
    }

    private Subgraph subgraph(String cacheControl) throws IOException {
        Subgraph subgraph = new Subgraph(cacheControl);
        resources.add(subgraph);
        return subgraph;
    }

    /** Both subgraphs, answering with the given policies, and a router over them with {@code extra} config. */
    private record Stack(Subgraph products, Subgraph reviews, RouterUnderTest router) {
    }

    private Stack stack(String productsPolicy, String reviewsPolicy, String extra) throws Exception {
        Subgraph products = subgraph(productsPolicy);
        Subgraph reviews = subgraph(reviewsPolicy);
        return new Stack(products, reviews, router(products, reviews, extra));
    }

    private RouterUnderTest router(Subgraph products, Subgraph reviews, String extra) throws Exception {
        RouterUnderTest router = RouterUnderTest.start(RouterUnderTest.newDirectory(), supergraph(), """
                format_version: 1
                hot_reload: false
                subgraphs:
                  products: { url: "%s", retry: { max_attempts: 1 } }
                  reviews: { url: "%s", retry: { max_attempts: 1 } }
                %s""".formatted(products.url(), reviews.url(), extra));
        resources.add(router);
        return router;
    }

    private static final String BOTH = "{ product { name stars } }";

    private static String cacheControl(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("cache-control").orElse(null);
    }

    private static HttpResponse<String> get(RouterUnderTest router, String query) throws Exception {
        return router.client().send(HttpRequest.newBuilder(router.uri("/graphql?query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8))).header("accept", "application/json")
                        .header("apollo-require-preflight", "true").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getAnswersCarryAStrongEtagAndAMatchingIfNoneMatchGets304WithTheirPolicy() throws Exception {
        Stack stack = stack("public, max-age=500", "public, max-age=300", "");
        RouterUnderTest router = stack.router();
        HttpResponse<String> first = get(router, BOTH);
        String etag = first.headers().firstValue("etag").orElseThrow();
        // the tag every Atrium endpoint gives these bytes: the SHA-256 of the body
        assertThat(etag).isEqualTo("\"" + io.atrium.graphql.trusted.Sha256.hex(first.body().getBytes(StandardCharsets.UTF_8)) + "\"");
        HttpResponse<String> notModified = router.client().send(HttpRequest.newBuilder(router.uri("/graphql?query="
                        + URLEncoder.encode(BOTH, StandardCharsets.UTF_8))).header("apollo-require-preflight", "true")
                        .header("if-none-match", "\"other\", " + etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers().firstValue("etag")).contains(etag);
        assertThat(notModified.headers().firstValue("cache-control")).contains("public, max-age=300");
        // the length the 200 had (RFC 9110 §8.6): the connection stays open
        assertThat(notModified.headers().firstValue("content-length")).contains(String.valueOf(first.body().length()));
        assertThat(notModified.headers().firstValue("connection")).isEmpty();
        // the operation still ran: a changed answer is sent whole, with its new tag
        stack.products().cacheControl = "public, max-age=100";
        HttpResponse<String> changed = router.client().send(HttpRequest.newBuilder(router.uri("/graphql?query="
                        + URLEncoder.encode("{ product { name } }", StandardCharsets.UTF_8)))
                .header("apollo-require-preflight", "true").header("if-none-match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("etag")).isPresent().get().isNotEqualTo(etag);
        // answers with errors are never tagged; POST answers are not tagged
        stack.products().cacheControl = null;
        assertThat(get(router, "{ broken }").headers().firstValue("etag")).isEmpty();
        assertThat(router.post(RouterUnderTest.queryBody(BOTH)).headers().firstValue("etag")).isEmpty();
    }

    @Test
    void theShortestMaxAgeOfTwoSubgraphsWinsOverPostAndGet() throws Exception {
        Stack stack = stack("public, max-age=500", "public, max-age=300", "");
        RouterUnderTest router = stack.router();
        HttpResponse<String> post = router.post(RouterUnderTest.queryBody(BOTH));
        assertThat(post.body()).contains("\"stars\":5");
        assertThat(cacheControl(post)).isEqualTo("public, max-age=300");
        assertThat(cacheControl(get(router, BOTH))).isEqualTo("public, max-age=300");
        // one subgraph alone: its own policy
        assertThat(cacheControl(router.post(RouterUnderTest.queryBody("{ product { name } }"))))
                .isEqualTo("public, max-age=500");
    }

    @Test
    void anyPrivatePartOrACallerWithCredentialsMakesTheAnswerPrivate() throws Exception {
        Stack stack = stack("public, max-age=500", "private, max-age=60", "");
        RouterUnderTest router = stack.router();
        assertThat(cacheControl(router.post(RouterUnderTest.queryBody(BOTH)))).isEqualTo("private, max-age=60");

        stack.reviews().cacheControl = "public, max-age=60, s-maxage=30";
        assertThat(cacheControl(router.post(RouterUnderTest.queryBody(BOTH))))
                .isEqualTo("public, max-age=60, s-maxage=30");
        assertThat(cacheControl(router.post(RouterUnderTest.queryBody(BOTH), "authorization", "Bearer someone")))
                .isEqualTo("private, max-age=60");
    }

    @Test
    void aSilentOrFailingSubgraphMakesTheAnswerNotCacheable() throws Exception {
        Stack stack = stack("public, max-age=500", null, "");
        RouterUnderTest router = stack.router();
        assertThat(cacheControl(router.post(RouterUnderTest.queryBody(BOTH)))).isEqualTo("no-store");

        stack.reviews().cacheControl = "no-store";
        assertThat(cacheControl(router.post(RouterUnderTest.queryBody(BOTH)))).isEqualTo("no-store");

        stack.reviews().close(); // the entity fetch fails: partial data, an error, no-store
        HttpResponse<String> partial = router.post(RouterUnderTest.queryBody(BOTH));
        assertThat(partial.body()).contains("SUBGRAPH_REQUEST_FAILED").contains("chair");
        assertThat(cacheControl(partial)).isEqualTo("no-store");
    }

    @Test
    void errorsAndMutationsAreNeverCached() throws Exception {
        Stack stack = stack("public, max-age=500", "public, max-age=300", "");
        RouterUnderTest router = stack.router();
        HttpResponse<String> error = router.post(RouterUnderTest.queryBody("{ broken }"));
        assertThat(error.body()).contains("broken on purpose");
        assertThat(cacheControl(error)).isEqualTo("no-store");

        HttpResponse<String> mutation = router.post(RouterUnderTest.queryBody("mutation { rename(name: \"new\") { name } }"));
        assertThat(mutation.body()).contains("\"name\":\"new\"");
        assertThat(cacheControl(mutation)).isEqualTo("no-store");

        HttpResponse<String> invalid = router.post(RouterUnderTest.queryBody("{ nope }"), "accept", "application/json");
        assertThat(invalid.headers().firstValue("cache-control")).contains("no-store");
    }

    @Test
    void anAnswerWithoutFetchesGetsTheConfiguredDefault() throws Exception {
        Stack stack = stack("public, max-age=500", "public, max-age=300", "cache_control: { default_max_age_seconds: 120 }");
        RouterUnderTest router = stack.router();
        assertThat(cacheControl(router.post(RouterUnderTest.queryBody("{ __typename }")))).isEqualTo("public, max-age=120");
        assertThat(cacheControl(router.post(RouterUnderTest.queryBody("{ __typename }"), "authorization", "Bearer someone")))
                .isEqualTo("private, max-age=120");

        RouterUnderTest byDefault = router(stack.products(), stack.reviews(), "");
        assertThat(cacheControl(byDefault.post(RouterUnderTest.queryBody("{ __typename }")))).isEqualTo("no-store");
    }

    @Test
    void withTheBlockOffAnswersSayNothing() throws Exception {
        Stack stack = stack("public, max-age=500", "public, max-age=300", "cache_control: { enabled: false }");
        RouterUnderTest router = stack.router();
        HttpResponse<String> response = router.post(RouterUnderTest.queryBody(BOTH));
        assertThat(response.body()).contains("\"stars\":5");
        assertThat(cacheControl(response)).isNull();
    }
}
