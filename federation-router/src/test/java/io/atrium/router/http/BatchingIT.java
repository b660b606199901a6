package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.policy.observability.PrometheusText;
import io.atrium.router.json.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Batched requests (a JSON array of operations in one POST) over real HTTP, with two real subgraphs on loopback: off
 * by default ({@code BATCHING_NOT_ENABLED}, nothing run); when enabled, every element answered as it would be alone,
 * in order, with the elements' byte lengths in {@code x-atrium-batch-lengths} and one merged {@code Cache-Control};
 * empty and oversized batches refused whole ({@code BATCH_LIMIT_EXCEEDED}); batches counted in the metrics; identical
 * query fetches of one batch sent once, mutations every time.
 */
class BatchingIT {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    private CacheControlIT.Subgraph products;
    private CacheControlIT.Subgraph reviews;

    private RouterUnderTest router(String extra) throws Exception {
        products = new CacheControlIT.Subgraph("public, max-age=500");
        resources.add(products);
        reviews = new CacheControlIT.Subgraph("public, max-age=300");
        resources.add(reviews);
        RouterUnderTest router = RouterUnderTest.start(RouterUnderTest.newDirectory(), CacheControlIT.supergraph(), """
                format_version: 1
                hot_reload: false
                subgraphs:
                  products: { url: "%s", retry: { max_attempts: 1 } }
                  reviews: { url: "%s", retry: { max_attempts: 1 } }
                %s""".formatted(products.url(), reviews.url(), extra));
        resources.add(router);
        return router;
    }

    private static String batch(String... queries) {
        return "[" + String.join(",", Arrays.stream(queries).map(RouterUnderTest::queryBody).toList()) + "]";
    }

    private static String code(HttpResponse<String> response) {
        Map<?, ?> body = (Map<?, ?>) Json.read(response.body().getBytes(StandardCharsets.UTF_8));
        return (String) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) body.get("errors")).getFirst()).get("extensions")).get("code");
    }

    /** {@code atrium_router_batch_size} count and sum (meters are process-wide: compare before and after). */
    private static double[] batches(RouterUnderTest router) throws Exception {
        String scrape = router.scrapeMetrics();
        return new double[] {PrometheusText.value(scrape, "atrium_router_batch_size_count"),
            PrometheusText.value(scrape, "atrium_router_batch_size_sum")};
    }

    @Test
    void batchesAreRefusedUnlessEnabled() throws Exception {
        RouterUnderTest router = router("");
        double[] before = batches(router);
        HttpResponse<String> refused = router.post(batch("{ product { name } }"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(code(refused)).isEqualTo("BATCHING_NOT_ENABLED");
        assertThat(batches(router)).isEqualTo(before);
        // one request still works
        assertThat(router.post(RouterUnderTest.queryBody("{ product { name } }")).body()).contains("chair");
    }

    @Test
    void eachElementIsAnsweredInOrderWithItsLengthAndOneMergedPolicy() throws Exception {
        RouterUnderTest router = router("batching: { enabled: true, max_operations: 3 }");
        double[] before = batches(router);
        HttpResponse<String> answer = router.post(batch("{ product { name stars } }", "{ topStars }", "{ nope }"));
        assertThat(answer.statusCode()).isEqualTo(200);
        List<?> elements = (List<?>) Json.read(answer.body().getBytes(StandardCharsets.UTF_8));
        assertThat(elements).hasSize(3);
        assertThat(elements.get(0).toString()).contains("name=chair").contains("stars=5").doesNotContain("errors");
        assertThat(elements.get(1).toString()).contains("topStars=4");
        assertThat(elements.get(2).toString()).contains("GRAPHQL_VALIDATION_FAILED").contains("nope");
        // the stated lengths take the body apart exactly
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        String[] lengths = answer.headers().firstValue("x-atrium-batch-lengths").orElseThrow().split(",");
        assertThat(lengths).hasSize(3);
        int at = 1;
        for (int i = 0; i < lengths.length; i++) {
            int length = Integer.parseInt(lengths[i]);
            assertThat(Json.read(Arrays.copyOfRange(body, at, at + length))).isEqualTo(elements.get(i));
            at += length + 1;
        }
        assertThat(at).isEqualTo(body.length);
        // one element failed: nothing of the batch may be stored
        assertThat(answer.headers().firstValue("cache-control")).contains("no-store");

        HttpResponse<String> cacheable = router.post(batch("{ product { name } }", "{ product { name stars } }"));
        assertThat(cacheable.headers().firstValue("cache-control")).contains("public, max-age=300");
        double[] after = batches(router);
        assertThat(after[0] - before[0]).isEqualTo(2.0);
        assertThat(after[1] - before[1]).isEqualTo(5.0);
    }

    @Test
    void identicalQueryFetchesOfOneBatchAreSentOnceAndEveryMutationRuns() throws Exception {
        RouterUnderTest router = router("batching: { enabled: true, max_operations: 5 }");
        String shared = "atrium_router_batch_shared_fetches_total{subgraph=\"products\"}";
        double sharedBefore = PrometheusText.value(router.scrapeMetrics(), shared);
        HttpResponse<String> answer = router.post(batch("{ product { name stars } }", "{ product { name stars } }",
                "{ product { name stars } }", "{ topStars }"));
        assertThat(answer.statusCode()).isEqualTo(200);
        List<?> elements = (List<?>) Json.read(answer.body().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 3; i++) {
            assertThat(elements.get(i).toString()).as("element %d", i).contains("name=chair").contains("stars=5")
                    .doesNotContain("errors");
        }
        assertThat(elements.get(3).toString()).contains("topStars=4");
        // each distinct subgraph operation was sent once: the root fetch of products, the entity fetch of reviews
        assertThat(products.queries).hasSize(1);
        assertThat(reviews.queries).hasSize(2).doesNotHaveDuplicates();
        assertThat(PrometheusText.value(router.scrapeMetrics(), shared) - sharedBefore).isEqualTo(2.0);

        // only within one batch: the next one fetches again
        assertThat(router.post(batch("{ product { name } }")).body()).contains("chair");
        assertThat(products.queries).hasSize(2);

        // a mutation is never shared: both elements' mutations run
        products.queries.clear();
        HttpResponse<String> mutations = router.post(batch("mutation { rename(name: \"new\") { name } }",
                "mutation { rename(name: \"new\") { name } }"));
        assertThat(mutations.statusCode()).isEqualTo(200);
        assertThat(mutations.body()).contains("\"name\":\"new\"");
        assertThat(products.queries).hasSize(2).allSatisfy(q -> assertThat(q).startsWith("mutation"));
    }

    @Test
    void emptyOversizedAndMalformedBatchesAreRefusedWhole() throws Exception {
        RouterUnderTest router = router("batching: { enabled: true, max_operations: 2 }");
        double[] before = batches(router);
        HttpResponse<String> tooMany = router.post(batch("{ topStars }", "{ topStars }", "{ topStars }"));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(code(tooMany)).isEqualTo("BATCH_LIMIT_EXCEEDED");
        assertThat(tooMany.body()).contains("1 to 2 operations");
        assertThat(code(router.post("[]"))).isEqualTo("BATCH_LIMIT_EXCEEDED");
        HttpResponse<String> malformed = router.post("[{\"query\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(code(malformed)).isEqualTo("BAD_REQUEST");
        assertThat(batches(router)).as("refused whole: not counted as batches").isEqualTo(before);
        // elements that are not requests are each answered with their own error
        HttpResponse<String> notObjects = router.post("[1, \"two\"]");
        assertThat(notObjects.statusCode()).isEqualTo(200);
        List<?> elements = (List<?>) Json.read(notObjects.body().getBytes(StandardCharsets.UTF_8));
        assertThat(elements).hasSize(2).allSatisfy(e -> assertThat(e.toString()).contains("must be a JSON object"));
    }
}
