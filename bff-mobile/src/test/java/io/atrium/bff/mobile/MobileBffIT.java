package io.atrium.bff.mobile;

import static io.atrium.bff.mobile.MobileStack.code;
import static io.atrium.bff.mobile.MobileStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.graphql.json.JsonWriter;
import io.atrium.graphql.trusted.Sha256;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bff-mobile over HTTP with the real router, registry and a products subgraph on loopback: the mobile view, its own
 * fields planned by the router, trusted operations per app version and their errors, batching, GET by name with 304,
 * the response budget, and the registry refusing a change that breaks an active app version.
 */
class MobileBffIT {
    static final String VIEW_FIELDS = "query ViewFields { __schema { queryType { fields { name } } } }";
    static final String TOP = "query TopProducts($first: Int) { topProducts(first: $first) { upc name } }";
    static final String HOME = "query HomeFeed($first: Int!, $after: String) { homeFeed(first: $first, after: $after) "
            + "{ items { upc name thumbnailUrl(size: SMALL) } endCursor hasNextPage } }";
    static final String BIG = "query BigDescriptions($repeat: Int) { topProducts(first: 8) { description(repeat: $repeat) } }";
    static final String PRICES = "query Prices { topProducts { price } }";
    static final String LABELS = "query Labels { topProducts(first: 2) { upc priceLabel(locale: \"de-DE\") } }";

    static MobileStack stack;
    /** The BFF exports its spans here (tracing on for this stack). */
    static io.atrium.policy.observability.OtlpReceiver traces;

    @BeforeAll
    static void start() throws Exception {
        io.micrometer.core.instrument.Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        traces = new io.atrium.policy.observability.OtlpReceiver();
        // as deployed (compose): the router takes batches and the BFF sends an app's batch to it as one request
        stack = new MobileStack("", Map.of("otel.exporter.otlp.endpoint", traces.endpoint(),
                "otel.bsp.schedule.delay", "50"), true);
        stack.products.cacheControl = "public, max-age=60"; // the router merges it into its answers' policy
        stack.publishOperations("ios", "5.2.0", MobileStack.manifest(VIEW_FIELDS, TOP, HOME, BIG, PRICES, LABELS));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (traces != null) {
            traces.close();
        }
    }

    private static HttpResponse<String> ios(String body, Map<String, Object> variables) {
        return stack.postById("ios", "5.2.0", Sha256.hex(body), variables);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> body = (Map<String, Object>) json(response);
        assertThat(body).as(response.body()).doesNotContainKey("errors");
        return (Map<String, Object>) body.get("data");
    }

    @Test
    void introspectionShowsTheMobileViewOnly() {
        String body = ios(VIEW_FIELDS, Map.of()).body();
        assertThat(body).contains("\"topProducts\"", "\"homeFeed\"").doesNotContain("internalReport", "_entities");
    }

    @Test
    void aFieldOutsideTheViewIsRefusedInValidationThoughTheRouterHasIt() {
        HttpResponse<String> response = ios(PRICES, Map.of());
        assertThat(code(response)).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        assertThat(response.body()).contains("price");
    }

    @Test
    void aFieldHiddenFromTheViewStillFeedsRequires() {
        assertThat(data(ios(LABELS, Map.of())).toString())
                .isEqualTo("{topProducts=[{upc=1, priceLabel=de-DE 100}, {upc=2, priceLabel=de-DE 200}]}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void homeFeedIsPlannedThroughTheRouterWithCursorPages() {
        Map<String, Object> first = (Map<String, Object>) data(ios(HOME, Map.of("first", 3))).get("homeFeed");
        assertThat((List<Map<String, Object>>) first.get("items")).extracting(i -> i.get("upc"), i -> i.get("name"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", "Product 1"),
                        org.assertj.core.groups.Tuple.tuple("2", "Product 2"),
                        org.assertj.core.groups.Tuple.tuple("3", "Product 3"));
        assertThat(((List<Map<String, Object>>) first.get("items")).getFirst().get("thumbnailUrl"))
                .isEqualTo("https://img.atrium.example/products/1/160w.webp");
        assertThat(first.get("hasNextPage")).isEqualTo(true);
        Map<String, Object> last = (Map<String, Object>) data(ios(HOME, Map.of("first", 10, "after",
                first.get("endCursor")))).get("homeFeed");
        assertThat((List<Map<String, Object>>) last.get("items")).extracting(i -> i.get("upc"))
                .containsExactly("4", "5", "6", "7", "8");
        assertThat(last.get("endCursor")).isNull();
        assertThat(last.get("hasNextPage")).isEqualTo(false);
    }

    @Test
    void listSizeBoundIsEnforcedByTheField() {
        assertThat(ios(HOME, Map.of("first", 51)).body()).contains("'first' must be between 1 and 50");
    }

    @Test
    void theClientsCostBudgetRefusesLargeListsBeforeTheRouterIsAsked() {
        int before = stack.products.requests.get();
        HttpResponse<String> refused = ios(TOP, Map.of("first", 1000));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(code(refused)).isEqualTo("COST_ESTIMATED_TOO_EXPENSIVE");
        assertThat(stack.products.requests.get()).isEqualTo(before);
        assertThat(data(ios(TOP, Map.of("first", 8)))).isNotNull();
    }

    @Test
    void eachOperationSpendsItsEstimatedCostFromTheAppsBudget() {
        HttpResponse<String> first = ios(TOP, Map.of("first", 8));
        HttpResponse<String> second = ios(TOP, Map.of("first", 8));
        assertThat(first.headers().firstValue("RateLimit-Limit")).contains("10000");
        long before = Long.parseLong(first.headers().firstValue("RateLimit-Remaining").orElseThrow());
        long after = Long.parseLong(second.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertThat(before - after).as("topProducts(first: 8) { upc name } costs 8").isEqualTo(8);
    }

    @Test
    void operationTextIsRefusedWithIdRequired() {
        HttpResponse<String> response = stack.post("ios", "5.2.0", JsonWriter.write(Map.of("query", TOP)), Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("PERSISTED_QUERY_ID_REQUIRED");
    }

    @Test
    void unknownIdIsNotInList() {
        HttpResponse<String> response = stack.postById("ios", "5.2.0", Sha256.hex("{ topProducts { upc } }"), Map.of());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(code(response)).isEqualTo("PERSISTED_QUERY_NOT_IN_LIST");
        assertThat(response.headers().firstValue("cache-control")).contains("private, no-cache, must-revalidate");
    }

    @Test
    void anAppVersionBelowTheMinimumIsToldToUpdate() {
        HttpResponse<String> response = stack.postById("ios", "4.9.0", Sha256.hex(TOP), Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("APP_UPDATE_REQUIRED");
        assertThat(response.body()).contains("oldest supported version is 5.0.0");
    }

    @Test
    void operationsAreScopedToTheirAppAndVersion() {
        assertThat(code(stack.postById("android", "5.2.0", Sha256.hex(TOP), Map.of()))).isEqualTo("APP_UPDATE_REQUIRED");
        assertThat(code(stack.postById("ios", "5.3.0", Sha256.hex(TOP), Map.of()))).isEqualTo("APP_UPDATE_REQUIRED");
    }

    @Test
    void aRetiredVersionIsToldToUpdate() throws Exception {
        stack.publishOperations("ios", "5.1.0", MobileStack.manifest(TOP));
        assertThat(data(stack.postById("ios", "5.1.0", Sha256.hex(TOP), Map.of("first", 1)))).isNotNull();
        stack.admin("DELETE", "/registry/operations/ios/5.1.0", null, 200);
        MobileStack.await("5.1.0 retired", () -> "APP_UPDATE_REQUIRED".equals(code(
                stack.postById("ios", "5.1.0", Sha256.hex(TOP), Map.of()))));
        assertThat(stack.postById("ios", "5.1.0", Sha256.hex(TOP), Map.of()).body()).contains("update the app");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBatchIsAnsweredInOneResponseInOrderAndReachesTheRouterAsOneRequest() throws Exception {
        String batch = "[" + new String(JsonWriter.write(Map.of("variables", Map.of("first", 2), "extensions",
                Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", Sha256.hex(TOP)))))) + ","
                + new String(JsonWriter.write(Map.of("variables", Map.of("first", 1), "extensions",
                Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", Sha256.hex(HOME)))))) + ","
                + new String(JsonWriter.write(Map.of("query", TOP))) + "]";
        double[] before = routerBatches();
        HttpResponse<String> response = stack.post("ios", "5.2.0", batch.getBytes(), Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Map<String, Object>> answers = (List<Map<String, Object>>) json(response);
        assertThat(answers).hasSize(3);
        assertThat(answers.get(0).toString()).contains("topProducts").contains("Product 2").doesNotContain("Product 3");
        assertThat(answers.get(1).toString()).contains("homeFeed");
        assertThat(answers.get(2).toString()).contains("PERSISTED_QUERY_ID_REQUIRED");
        // the two registered operations went to the router in one batched request (the third was refused here)
        double[] after = routerBatches();
        assertThat(after[0] - before[0]).isEqualTo(1.0);
        assertThat(after[1] - before[1]).isEqualTo(2.0);
        // every element forwarded: the router's batch answer is passed on as it came, and reads the same
        String forwarded = "[" + new String(JsonWriter.write(Map.of("variables", Map.of("first", 1), "extensions",
                Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", Sha256.hex(TOP)))))) + ","
                + new String(JsonWriter.write(Map.of("variables", Map.of("first", 2), "extensions",
                Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", Sha256.hex(TOP)))))) + "]";
        List<Map<String, Object>> both = (List<Map<String, Object>>) json(stack.post("ios", "5.2.0",
                forwarded.getBytes(), Map.of()));
        assertThat(both).hasSize(2);
        assertThat(both.get(0).toString()).contains("Product 1").doesNotContain("Product 2");
        assertThat(both.get(1).toString()).contains("Product 2").doesNotContain("Product 3");
        assertThat(routerBatches()[0] - after[0]).isEqualTo(1.0);
        // a batch of one is forwarded alone and still answered as an array (its answer read out of the router's
        // buffers, which are then let go)
        String one = "[" + new String(JsonWriter.write(Map.of("variables", Map.of("first", 1), "extensions",
                Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", Sha256.hex(TOP)))))) + "]";
        List<Map<String, Object>> single = (List<Map<String, Object>>) json(stack.post("ios", "5.2.0", one.getBytes(),
                Map.of()));
        assertThat(single).hasSize(1);
        assertThat(single.getFirst().toString()).contains("Product 1").doesNotContain("Product 2");
        assertThat(routerBatches()[0] - after[0]).as("not a router batch").isEqualTo(1.0);
    }

    /** The router's {@code atrium_router_batch_size} count and sum. */
    private static double[] routerBatches() throws Exception {
        String scrape = stack.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                stack.router.adminUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new double[] {io.atrium.policy.observability.PrometheusText.value(scrape, "atrium_router_batch_size_count"),
            io.atrium.policy.observability.PrometheusText.value(scrape, "atrium_router_batch_size_sum")};
    }

    @Test
    void aRegisteredQueryIsServedByGetWithEtagAnd304() {
        Map<String, String> app = Map.of("apollographql-client-name", "ios", "apollographql-client-version", "5.2.0");
        HttpResponse<String> first = stack.get("/v1/ops/TopProducts?first=2", app);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("Product 2").doesNotContain("Product 3");
        String etag = first.headers().firstValue("etag").orElseThrow();
        // the router's policy, merged from the products subgraph's, reaches the app (no credentials: shareable)
        assertThat(first.headers().firstValue("cache-control")).contains("public, max-age=60");
        assertThat(vary(first)).contains("apollographql-client-name", "apollographql-client-version", "authorization",
                "x-atrium-assertion").doesNotContain("accept");
        assertThat(vary(first)).hasSize(6);
        Map<String, String> conditional = new java.util.HashMap<>(app);
        conditional.put("if-none-match", etag);
        HttpResponse<String> again = stack.get("/v1/ops/TopProducts?first=2", conditional);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(vary(again)).isEqualTo(vary(first));
        assertThat(again.headers().firstValue("etag")).contains(etag);
        assertThat(again.headers().firstValue("cache-control")).contains("public, max-age=60");
        assertThat(again.headers().firstValue("content-type")).isEmpty();
        assertThat(stack.get("/v1/ops/TopProducts?first=3", conditional).statusCode()).isEqualTo(200);

        // the BFF revalidates at the router, which tags the same bytes with the same tag and answers 304 itself
        String routerGet = stack.router.graphqlUrl() + "?query=" + java.net.URLEncoder.encode(TOP,
                java.nio.charset.StandardCharsets.UTF_8) + "&variables=" + java.net.URLEncoder.encode("{\"first\":2}",
                java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> atRouter = routerGet(routerGet, null);
        assertThat(atRouter.statusCode()).as(atRouter.body()).isEqualTo(200);
        assertThat(atRouter.headers().firstValue("etag")).contains(etag);
        HttpResponse<String> notModified = routerGet(routerGet, etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers().firstValue("cache-control")).contains("public, max-age=60");
    }

    private static HttpResponse<String> routerGet(String url, String ifNoneMatch) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("apollo-require-preflight", "true");
        if (ifNoneMatch != null) {
            request.header("if-none-match", ifNoneMatch);
        }
        try {
            return stack.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void getAnswersNameInVaryTheRequestHeadersTheyDependOn() {
        String url = "/graphql?extensions=" + java.net.URLEncoder.encode("{\"persistedQuery\":{\"version\":1,"
                + "\"sha256Hash\":\"" + Sha256.hex(TOP) + "\"}}", java.nio.charset.StandardCharsets.UTF_8)
                + "&variables=" + java.net.URLEncoder.encode("{\"first\":2}", java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> ios = Map.of("apollographql-client-name", "ios", "apollographql-client-version", "5.2.0",
                "apollo-require-preflight", "true", "accept", "application/graphql-response+json");
        HttpResponse<String> answer = stack.get(url, ios);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("Product 2").doesNotContain("errors");
        assertThat(answer.headers().firstValue("content-type")).get().asString().startsWith("application/graphql-response+json");
        assertThat(vary(answer)).containsExactlyInAnyOrder("accept", "authorization", "x-atrium-assertion",
                "apollographql-client-name", "apollographql-client-version", "graphql-client-name", "graphql-client-version");

        // the same URL answered differently for each header a cache must key on: the app version, the media type
        Map<String, String> older = new java.util.HashMap<>(ios);
        older.put("apollographql-client-version", "4.9.0");
        HttpResponse<String> tooOld = stack.get(url, older);
        assertThat(code(tooOld)).isEqualTo("APP_UPDATE_REQUIRED");
        assertThat(vary(tooOld)).contains("apollographql-client-version");
        Map<String, String> legacy = new java.util.HashMap<>(ios);
        legacy.put("accept", "application/json");
        HttpResponse<String> json = stack.get(url, legacy);
        assertThat(json.headers().firstValue("content-type")).get().asString().startsWith("application/json");
        assertThat(vary(json)).contains("accept");
    }

    private static List<String> vary(HttpResponse<String> response) {
        return response.headers().allValues("vary").stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(","))).map(String::strip).toList();
    }

    @Test
    void getByNameRefusesUnknownNamesAndVariables() {
        Map<String, String> app = Map.of("apollographql-client-name", "ios", "apollographql-client-version", "5.2.0");
        HttpResponse<String> unknown = stack.get("/v1/ops/Nope", app);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(unknown.body()).contains("OPERATION_NOT_FOUND");
        assertThat(code(stack.get("/v1/ops/TopProducts?nope=1", app))).isEqualTo("BAD_REQUEST");
    }

    @Test
    void anAnswerOverItsBudgetFailsWithResponseTooLarge() {
        assertThat(data(ios(BIG, Map.of("repeat", 1)))).isNotNull();
        HttpResponse<String> big = ios(BIG, Map.of("repeat", 100));
        assertThat(code(big)).isEqualTo("RESPONSE_TOO_LARGE");
        assertThat(big.body()).contains("over its budget of 4096 bytes").doesNotContain("fine piece");
    }

    @Test
    void aSchemaChangeBreakingAnActiveAppVersionIsRefused() throws Exception {
        String withoutName = io.atrium.graphql.testing.StackFixtures.resource("/fixtures/stack/products.graphql").replace("  name: String\n", "");
        HttpResponse<String> refused = stack.admin("PUT", "/registry/subgraphs/products",
                Map.of("routing_url", stack.products.url(), "sdl", withoutName), 0);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("broken_operations").contains("ios/5.2.0").contains("TopProducts");
        assertThat(data(ios(TOP, Map.of("first", 1)))).isNotNull();
    }

    @Test
    void requestsAreMeasuredByAppVersionAndOperation() {
        data(ios(TOP, Map.of("first", 1)));
        stack.postById("ios", "5.2.0", Sha256.hex("{ nope }"), Map.of());
        var timer = io.micrometer.core.instrument.Metrics.globalRegistry.find("atrium.bff.requests")
                .tags("bff", "bff-mobile", "client", "ios", "client_version", "5.2.0", "operation", "TopProducts",
                        "status", "200").timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isPositive();
        assertThat(io.micrometer.core.instrument.Metrics.globalRegistry.find("atrium.bff.requests")
                .tags("operation", "unknown", "status", "404").timer()).isNotNull();
        var scrape = stack.get("/metrics", Map.of());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("atrium_bff_requests_seconds_count{bff=\"bff-mobile\",client=\"ios\","
                + "client_version=\"5.2.0\",operation=\"TopProducts\",status=\"200\"}");
    }

    @Test
    void postGetAndOperationGetsAreAnsweredOnTheDataPathOverHttp11() throws Exception {
        var answered = stack.bff.getApplicationContext().getBean(MobileBff.class).dataPath().answered();
        long before = answered.sum();
        java.net.http.HttpClient h1 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + stack.bff.getPort();
        String pq = new String(JsonWriter.write(Map.of("variables", Map.of("first", 2), "extensions",
                Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", Sha256.hex(TOP))))));
        HttpResponse<String> post = h1.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/graphql"))
                .header("content-type", "application/json").header("apollographql-client-name", "ios")
                .header("apollographql-client-version", "5.2.0").POST(java.net.http.HttpRequest.BodyPublishers.ofString(pq))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(data(post).toString()).contains("Product 2");
        HttpResponse<String> get = h1.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                        + "/v1/ops/TopProducts?first=1")).header("apollographql-client-name", "ios")
                .header("apollographql-client-version", "5.2.0").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(data(get).toString()).contains("Product 1").doesNotContain("Product 2");
        assertThat(get.headers().firstValue("etag")).isPresent();
        HttpResponse<String> tooBig = h1.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/graphql"))
                .header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[3 * 1024 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("PAYLOAD_TOO_LARGE");
        assertThat(answered.sum() - before).isGreaterThanOrEqualTo(3);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhetherTheDataPathOrMicronautServesThem() throws Exception {
        String ops = "GET /v1/ops/TopProducts?first=1 HTTP/1.1\r\nhost: bff\r\napollographql-client-name: ios\r\n"
                + "apollographql-client-version: 5.2.0\r\n\r\n";
        String health = "GET /health HTTP/1.1\r\nhost: bff\r\n\r\n";
        String nope = "GET /nope HTTP/1.1\r\nhost: bff\r\n\r\n";
        // the data path first (later requests wait for its answer), then Micronaut first (the data path's route
        // behind it goes to Micronaut too), and a last request that closes the connection
        String pipelined = ops + health + ops + nope + health + ops
                + "GET /health HTTP/1.1\r\nhost: bff\r\nconnection: close\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", stack.bff.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(pipelined.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String all = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            List<String> statuses = new java.util.ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(all);
            while (m.find()) {
                statuses.add(m.group(1));
            }
            assertThat(statuses).containsExactly("200", "200", "200", "404", "200", "200", "200");
            int first = all.indexOf("Product 1");
            int problem = all.indexOf("ROUTE_NOT_FOUND");
            assertThat(first).isPositive().isLessThan(problem);
            assertThat(all.lastIndexOf("Product 1")).isGreaterThan(problem);
        }
    }

    @Test
    void linesLoggedForARequestNameItsTraceAndNoOtherRequestsTrace() {
        ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "atrium.bff.access");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        access.addAppender(lines);
        ch.qos.logback.classic.Level level = access.getLevel();
        access.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
            byte[] body = JsonWriter.write(Map.of("variables", Map.of("first", 1), "extensions",
                    Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", Sha256.hex(TOP)))));
            HttpResponse<String> traced = stack.post("ios", "5.2.0", body,
                    Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
            assertThat(traced.statusCode()).isEqualTo(200);
            HttpResponse<String> other = stack.postById("ios", "5.2.0", Sha256.hex(TOP), Map.of("first", 1));
            assertThat(other.statusCode()).isEqualTo(200);
            // the access line is written before the answer is (no wait needed)
            assertThat(lines.list).hasSizeGreaterThanOrEqualTo(2);
            var first = lines.list.get(0).getMDCPropertyMap();
            var second = lines.list.get(1).getMDCPropertyMap();
            assertThat(first).containsEntry("trace_id", traceId).containsKey("span_id");
            // tracing is on in this stack: the next request has a trace of its own, never the previous one's
            assertThat(second.get("trace_id")).isNotNull().isNotEqualTo(traceId);
        } finally {
            access.setLevel(level);
            access.detachAppender(lines);
        }
    }

    @Test
    void unknownPathsGetProblemDocuments() {
        HttpResponse<String> response = stack.get("/nope", Map.of());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(response.body()).contains("ROUTE_NOT_FOUND").doesNotContain("_links");
    }

    @Test
    void anOperationHasAServerSpanContinuingTheAppsTraceAndAClientSpanForTheRouterCall() throws Exception {
        String traceId = "7bf92f3577b34da6a3ce929d0e0e4731";
        String appSpan = "10f067aa0ba902b7";
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("variables", Map.of("first", 2));
        body.put("extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", Sha256.hex(TOP))));
        HttpResponse<String> response = stack.post("ios", "5.2.0", JsonWriter.write(body),
                Map.of("traceparent", "00-" + traceId + "-" + appSpan + "-01"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var trace = traces.await(traceId, spans -> spans.stream().anyMatch(
                s -> s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER));
        var server = trace.stream().filter(s -> s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
                .findFirst().orElseThrow();
        var router = trace.stream().filter(s -> s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT)
                .findFirst().orElseThrow();
        assertThat(server.service()).startsWith("atrium-bff-");
        assertThat(server.parentId()).isEqualTo(appSpan);
        assertThat(server.name()).isEqualTo("graphql TopProducts");
        assertThat(server.attribute("atrium.client.name")).isEqualTo("ios");
        assertThat(server.attribute("http.response.status_code")).isEqualTo("200");
        assertThat(router.name()).isEqualTo("router");
        assertThat(router.parentId()).isEqualTo(server.spanId());
    }
}
