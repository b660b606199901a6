package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.graphql.trusted.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * APQ with the store in a real Redis (redis-server on a random port), shared by two routers: a document registered
 * through one is found by hash through the other; with Redis gone, a hash is a miss and the client's full request
 * still runs.
 */
class ApqRedisIT {
    private static final String QUERY = "query Shared { __typename }";
    private static final String DATA = "{\"data\":{\"__typename\":\"Query\"}}";
    private static RedisServer redis;
    private static RouterUnderTest first;
    private static RouterUnderTest second;

    @BeforeAll
    static void start() throws Exception {
        redis = RouterUnderTest.startRedis();
        int port = (Integer) redis.ports().getFirst();
        String config = """
                format_version: 1
                hot_reload: false
                apq: { redis_url: "redis://127.0.0.1:%d", ttl_seconds: 60 }
                """.formatted(port);
        first = RouterUnderTest.start(config);
        second = RouterUnderTest.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        for (RouterUnderTest router : new RouterUnderTest[] {first, second}) {
            if (router != null) {
                router.close();
            }
        }
        if (redis != null && redis.isActive()) {
            redis.stop();
        }
    }

    private static String hashOnly() {
        return "{\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + Sha256.hex(QUERY) + "\"}}}";
    }

    private static String withText() {
        return "{\"query\":\"" + QUERY + "\",\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\""
                + Sha256.hex(QUERY) + "\"}}}";
    }

    @Test
    void aDocumentRegisteredThroughOneRouterIsFoundThroughTheOtherAndAnOutageIsOnlyAMiss() throws Exception {
        assertThat(second.post(hashOnly()).body()).contains("PERSISTED_QUERY_NOT_FOUND");
        assertThat(first.post(withText()).body()).isEqualTo(DATA);
        // the SET is sent after the answer: wait until the other router sees it
        long deadline = System.nanoTime() + 5_000_000_000L;
        String body;
        do {
            body = second.post(hashOnly()).body();
        } while (!body.equals(DATA) && System.nanoTime() < deadline);
        assertThat(body).isEqualTo(DATA);

        redis.stop();
        String other = "query Other { __typename }";
        String hash = Sha256.hex(other);
        assertThat(first.post("{\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}}")
                .body()).contains("PERSISTED_QUERY_NOT_FOUND");
        assertThat(first.post("{\"query\":\"" + other + "\",\"extensions\":{\"persistedQuery\":{\"version\":1,"
                + "\"sha256Hash\":\"" + hash + "\"}}}").body()).isEqualTo(DATA);
    }
}
