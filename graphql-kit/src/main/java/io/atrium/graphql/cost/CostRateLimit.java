package io.atrium.graphql.cost;

import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.policy.Identity;
import io.atrium.policy.ratelimit.InMemoryRateLimitStore;
import io.atrium.policy.ratelimit.LimitSet;
import io.atrium.policy.ratelimit.RateLimitConfig;
import io.atrium.policy.ratelimit.RateLimitPolicy;
import io.atrium.policy.ratelimit.RateLimitResult;
import io.atrium.policy.ratelimit.RateLimitStore;
import io.atrium.policy.ratelimit.RedisRateLimitStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Demand control's cost budget: an admitted operation spends its estimated cost (at least 1 unit) from its caller's
 * budget in the shared GCRA limiter, all or nothing, before it is planned. Allowed answers carry
 * {@code RateLimit-Limit/Remaining/Reset} in cost units; a refusal is {@code COST_RATE_LIMITED} with HTTP 429 and
 * {@code Retry-After}. Counter {@code atrium.graphql.cost{outcome=rate_limited|store_unavailable_open|
 * store_unavailable_closed}}.
 */
public final class CostRateLimit implements AutoCloseable {

    /** What the budget says about one operation. */
    public sealed interface Verdict {
        /** Response headers for this answer (the budget's state after the operation, or none). */
        Map<String, String> headers();
    }

    /** Run it; {@code headers} go on the answer. */
    public record Allowed(Map<String, String> headers) implements Verdict {
    }

    /** Do not run it: answer {@code status} with {@code error} (a GraphQL error) and {@code headers}. */
    public record Refused(int status, Map<String, String> headers, Map<String, Object> error) implements Verdict {
    }

    private final CostRateLimitConfig config;
    private final LimitSet limits;
    private final RateLimitStore store;
    private final Counter refused;
    private final Counter failedOpen;
    private final Counter failedClosed;

    public CostRateLimit(CostRateLimitConfig config, MeterRegistry registry) {
        this.config = config;
        this.limits = new LimitSet(config.limits());
        this.store = config.redisUrl() == null
                ? new InMemoryRateLimitStore(InMemoryRateLimitStore.DEFAULT_MAXIMUM_KEYS)
                : RedisRateLimitStore.connect(new RedisRateLimitStore.Config(config.redisUrl(), config.keyPrefix(),
                        config.commandTimeout(), null, config.lease()));
        this.refused = registry.counter("atrium.graphql.cost", "outcome", "rate_limited");
        this.failedOpen = registry.counter("atrium.graphql.cost", "outcome", "store_unavailable_open");
        this.failedClosed = registry.counter("atrium.graphql.cost", "outcome", "store_unavailable_closed");
    }

    /** Spends {@code estimated} units (at least one) of the caller's budget. */
    public CompletionStage<Verdict> spend(String clientName, Identity identity, long estimated) {
        long units = Math.max(1, estimated);
        if (units > config.smallestBurst()) {
            refused.increment();
            return CompletableFuture.completedFuture(new Refused(429, Map.of(), error(
                    "the operation's estimated cost (" + units + ") is more than this endpoint's cost budget holds at once ("
                            + config.smallestBurst() + " units); it can never run: ask for fewer or smaller lists",
                    units)));
        }
        return store.acquire(key(clientName, identity), limits, units)
                .<Verdict>thenApply(result -> verdict(result, units))
                .exceptionally(failure -> {
                    if (config.onStoreFailure() == RateLimitConfig.FailureMode.OPEN) {
                        failedOpen.increment();
                        return new Allowed(Map.of());
                    }
                    failedClosed.increment();
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("message", "the cost budget cannot be checked right now; try again shortly");
                    error.put("extensions", Map.of("code", GraphQLErrorCodes.COST_RATE_LIMIT_UNAVAILABLE));
                    return new Refused(503, Map.of("Retry-After", "1"), error);
                });
    }

    private Verdict verdict(RateLimitResult result, long units) {
        if (result.allowed()) {
            return new Allowed(result.headers());
        }
        refused.increment();
        return new Refused(429, result.headers(), error("the operation's estimated cost (" + units + ") is more than is left of "
                + "this caller's cost budget; retry after " + result.retryAfterSeconds() + " s", units));
    }

    private static Map<String, Object> error(String message, long units) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("extensions", Map.of("code", GraphQLErrorCodes.COST_RATE_LIMITED, "cost", Map.of("estimated", units)));
        return error;
    }

    /** The budget's key: by client name, verified subject or both; a caller without one shares {@code anonymous}. */
    String key(String clientName, Identity identity) {
        String subject = identity == null ? null : identity.subject();
        String key = switch (config.key()) {
            case CLIENT -> clientName == null ? null : "c:" + clientName;
            case SUBJECT -> subject == null ? null : "s:" + subject;
            case CLIENT_SUBJECT -> clientName == null && subject == null ? null
                    : "cs:" + (clientName == null ? "" : clientName) + "\u0000" + (subject == null ? "" : subject);
        };
        // a caller-chosen header must not make keys of any size: the edge's rule for client-controlled values
        return key == null ? "anonymous" : RateLimitPolicy.bounded(key);
    }

    @Override
    public void close() {
        store.close();
    }
}
