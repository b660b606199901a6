package io.atrium.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.policy.Decision;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.Identity;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.TestRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class RateLimitPolicyTest {

    private final InMemoryRateLimitStore store = new InMemoryRateLimitStore(1000);

    private static Identity identity(String subject, String consumer) {
        return new Identity(subject, consumer, Set.of(), Set.of(), Map.of(), null, Identity.Method.JWT);
    }

    private static Decision decide(RateLimitPolicy policy, PolicyContext context) {
        return policy.evaluate(context).toCompletableFuture().join();
    }

    private static Map<String, String> headers(List<HttpHeader> headers) {
        return headers.stream().collect(java.util.stream.Collectors.toMap(HttpHeader::name, HttpHeader::value));
    }

    @Test
    void allowedRequestsCarryRateLimitHeadersAndRefusedOnesA429() {
        RateLimitPolicy policy = new RateLimitPolicy("orders", RateLimitConfig.of(new RateLimitKey.ClientIp(), Limit.perSecond(2)), store,
                ClientAddressResolver.untrusting());
        PolicyContext context = TestRequest.get("/orders").context();

        Decision first = decide(policy, context);
        decide(policy, context);
        Decision third = decide(policy, context);

        assertThat(first).isInstanceOfSatisfying(Decision.Continue.class, c -> assertThat(headers(c.responseHeaders()))
                .containsEntry("RateLimit-Limit", "2").containsEntry("RateLimit-Remaining", "1").containsEntry("RateLimit-Reset", "1"));
        assertThat(third).isInstanceOfSatisfying(Decision.Reply.class, r -> {
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.problem().code()).isEqualTo("RATE_LIMITED");
            assertThat(headers(r.headers())).containsEntry("Retry-After", "1").containsEntry("RateLimit-Remaining", "0");
        });
        assertThat(third.outcome()).isEqualTo("limited");
    }

    @Test
    void keysByConsumerFallingBackToSubjectThenAddress() {
        RateLimitPolicy policy = new RateLimitPolicy("orders", RateLimitConfig.of(new RateLimitKey.Consumer(), Limit.perSecond(1)), store,
                ClientAddressResolver.untrusting());
        PolicyContext base = TestRequest.get("/orders").context();

        assertThat(decide(policy, base.withIdentity(identity("alice", "web")))).isInstanceOf(Decision.Continue.class);
        assertThat(decide(policy, base.withIdentity(identity("bob", "web")))).as("same consumer").isInstanceOf(Decision.Reply.class);
        assertThat(decide(policy, base.withIdentity(identity("carol", "mobile")))).isInstanceOf(Decision.Continue.class);
        assertThat(decide(policy, base.withIdentity(identity("dave", null)))).isInstanceOf(Decision.Continue.class);
        assertThat(decide(policy, base)).as("anonymous: by address").isInstanceOf(Decision.Continue.class);
        assertThat(decide(policy, base)).isInstanceOf(Decision.Reply.class);
    }

    @Test
    void keysByHeaderAndRouteAndSharedBuckets() {
        RateLimitPolicy byHeader = new RateLimitPolicy("r1", RateLimitConfig.of(new RateLimitKey.Header("X-Tenant"), Limit.perSecond(1)),
                store, ClientAddressResolver.untrusting());
        assertThat(decide(byHeader, TestRequest.get("/").header("x-tenant", "a").context())).isInstanceOf(Decision.Continue.class);
        assertThat(decide(byHeader, TestRequest.get("/").header("x-tenant", "b").context())).isInstanceOf(Decision.Continue.class);
        assertThat(decide(byHeader, TestRequest.get("/").header("x-tenant", "a").context())).isInstanceOf(Decision.Reply.class);
        String longValue = "t".repeat(5000);
        assertThat(decide(byHeader, TestRequest.get("/").header("x-tenant", longValue).context())).isInstanceOf(Decision.Continue.class);
        assertThat(decide(byHeader, TestRequest.get("/").header("x-tenant", longValue).context())).isInstanceOf(Decision.Reply.class);

        RateLimitConfig shared = new RateLimitConfig(new RateLimitKey.Route(), List.of(Limit.perSecond(1)), "shared", null);
        RateLimitPolicy routeA = new RateLimitPolicy("a", shared, store, ClientAddressResolver.untrusting());
        RateLimitPolicy routeB = new RateLimitPolicy("b", shared, store, ClientAddressResolver.untrusting());
        assertThat(decide(routeA, TestRequest.get("/").from("192.0.2.1").context())).isInstanceOf(Decision.Continue.class);
        assertThat(decide(routeB, TestRequest.get("/").from("192.0.2.2").context())).isInstanceOf(Decision.Reply.class);
    }

    @Test
    void storeFailureFailsOpenOrClosedAsConfigured() {
        RateLimitStore broken = new RateLimitStore() {
            @Override
            public CompletionStage<RateLimitResult> acquire(String key, LimitSet limits, long units) {
                return CompletableFuture.failedFuture(new RateLimitStoreUnavailableException("down", null));
            }
        };
        RateLimitPolicy open = new RateLimitPolicy("r", RateLimitConfig.of(new RateLimitKey.Route(), Limit.perSecond(1)), broken,
                ClientAddressResolver.untrusting());
        RateLimitPolicy closed = new RateLimitPolicy("r", new RateLimitConfig(new RateLimitKey.Route(), List.of(Limit.perSecond(1)), null,
                RateLimitConfig.FailureMode.CLOSED), broken, ClientAddressResolver.untrusting());
        PolicyContext context = TestRequest.get("/").context();

        assertThat(decide(open, context)).isInstanceOf(Decision.Continue.class);
        assertThat(decide(open, context).outcome()).isEqualTo("store_unavailable_open");
        assertThat(decide(closed, context)).isInstanceOfSatisfying(Decision.Reply.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.problem().code()).isEqualTo("RATE_LIMIT_UNAVAILABLE");
        });
        assertThat(decide(closed, context).outcome()).isEqualTo("store_unavailable_closed");
    }
}
