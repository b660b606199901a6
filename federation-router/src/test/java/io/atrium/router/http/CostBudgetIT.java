package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Demand control's cost budget over HTTP: each operation spends its estimated cost (the sample graph's weights:
 * {@code users { reviews { id } }} = 110) from its client's budget; the answers carry RateLimit headers in cost units,
 * an operation that no longer fits is refused with {@code COST_RATE_LIMITED} and 429 before it is planned, other
 * clients keep their own budgets, and two routers sharing one real Redis hold one budget between them.
 */
class CostBudgetIT {
    private static final String COSTS_110 = "{ users { reviews { id } } }";
    private static RedisServer redis;
    private static RouterUnderTest inMemory;
    private static RouterUnderTest sharedFirst;
    private static RouterUnderTest sharedSecond;

    @BeforeAll
    static void start() throws Exception {
        redis = RouterUnderTest.startRedis();
        int port = (Integer) redis.ports().getFirst();
        inMemory = RouterUnderTest.start("""
                format_version: 1
                hot_reload: false
                demand_control:
                  enabled: true
                  max: 1000
                  rate_limit: { key: client, limits: [ { units: 300, period_ms: 600000 } ] }
                """);
        String shared = """
                format_version: 1
                hot_reload: false
                demand_control:
                  enabled: true
                  max: 1000
                  rate_limit:
                    key: client
                    limits: [ { units: 250, period_ms: 600000 } ]
                    redis_url: "redis://127.0.0.1:%d"
                    key_prefix: "cost-it:"
                """.formatted(port);
        sharedFirst = RouterUnderTest.start(shared);
        sharedSecond = RouterUnderTest.start(shared);
        awaitStore(sharedFirst);
        awaitStore(sharedSecond);
    }

    /** Redis is connected in the background (until then the budget fails open, uncounted): wait for it. */
    private static void awaitStore(RouterUnderTest router) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (post(router, "warm-up", "{ __typename }").headers().firstValue("RateLimit-Limit").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the router's cost budget never reached Redis");
            }
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        for (RouterUnderTest router : new RouterUnderTest[] {inMemory, sharedFirst, sharedSecond}) {
            if (router != null) {
                router.close();
            }
        }
        if (redis != null && redis.isActive()) {
            redis.stop();
        }
    }

    private static HttpResponse<String> post(RouterUnderTest router, String client, String query) throws Exception {
        return router.post(RouterUnderTest.queryBody(query), "apollographql-client-name", client);
    }

    @Test
    void operationsSpendTheirEstimatedCostUntilTheBudgetIsGone() throws Exception {
        HttpResponse<String> first = post(inMemory, "web", COSTS_110);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Limit")).contains("300");
        assertThat(first.headers().firstValue("RateLimit-Remaining")).contains("190");
        assertThat(post(inMemory, "web", COSTS_110).headers().firstValue("RateLimit-Remaining")).contains("80");

        HttpResponse<String> refused = post(inMemory, "web", COSTS_110);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).doesNotContain("\"data\"").contains("\"code\":\"COST_RATE_LIMITED\"")
                .contains("\"estimated\":110");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).contains("0");

        HttpResponse<String> cheap = post(inMemory, "web", "{ __typename }");
        assertThat(cheap.statusCode()).as("a cheap operation still fits").isEqualTo(200);
        assertThat(cheap.headers().firstValue("RateLimit-Remaining")).contains("79");
        assertThat(post(inMemory, "ios", COSTS_110).statusCode()).as("another client's budget").isEqualTo(200);
    }

    @Test
    void anOperationCostingMoreThanTheWholeBudgetIsRefusedForGood() throws Exception {
        HttpResponse<String> tooBig = post(sharedFirst, "huge",
                "{ a: users { reviews { id } } b: users { reviews { id } } c: users { reviews { id } } }");
        assertThat(tooBig.statusCode()).isEqualTo(429);
        assertThat(tooBig.body()).contains("COST_RATE_LIMITED").contains("\"estimated\":330")
                .contains("can never run").contains("250 units");
        assertThat(tooBig.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void twoRoutersSharingRedisHoldOneBudget() throws Exception {
        assertThat(post(sharedFirst, "shop", COSTS_110).headers().firstValue("RateLimit-Remaining")).contains("140");
        assertThat(post(sharedSecond, "shop", COSTS_110).headers().firstValue("RateLimit-Remaining")).contains("30");
        HttpResponse<String> refused = post(sharedFirst, "shop", COSTS_110);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("COST_RATE_LIMITED");
        assertThat(post(sharedSecond, "shop", "{ __typename }").statusCode()).isEqualTo(200);
    }
}
