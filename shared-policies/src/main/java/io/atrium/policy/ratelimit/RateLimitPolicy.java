package io.atrium.policy.ratelimit;

import io.atrium.policy.Decision;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.Identity;
import io.atrium.policy.Policy;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.error.ProblemTypes;
import io.atrium.policy.PolicyRequest;
import io.atrium.policy.error.Problem;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rate limits one route with GCRA. Allowed requests get {@code RateLimit-Limit/Remaining/Reset} response headers;
 * refused ones a 429 problem document with those headers and {@code Retry-After}.
 *
 * <p>Outcomes: {@code allowed}, {@code limited}, {@code store_unavailable_open}, {@code store_unavailable_closed}.
 */
public final class RateLimitPolicy implements Policy {

    public static final String NAME = "rate_limit";
    public static final String LIMIT = "RateLimit-Limit";
    public static final String REMAINING = "RateLimit-Remaining";
    public static final String RESET = "RateLimit-Reset";
    public static final String RETRY_AFTER = "Retry-After";

    private static final Decision.Continue FAILED_OPEN = Decision.proceed("store_unavailable_open");

    private final RateLimitConfig config;
    private final LimitSet limits;
    private final RateLimitStore store;
    private final ClientAddressResolver addresses;
    private final String keyPrefix;
    /** {@link #keyPrefix} with each kind's tag, so that building a key is one concatenation. */
    private final String consumerPrefix;
    private final String subjectPrefix;
    private final String headerPrefix;
    private final String addressPrefix;

    /** @param routeId the route, the default bucket name */
    public RateLimitPolicy(String routeId, RateLimitConfig config, RateLimitStore store, ClientAddressResolver addresses) {
        this.config = config;
        this.limits = new LimitSet(config.limits());
        this.store = store;
        this.addresses = addresses;
        this.keyPrefix = (config.bucket() != null ? config.bucket() : routeId) + ":";
        this.consumerPrefix = keyPrefix + "c:";
        this.subjectPrefix = keyPrefix + "s:";
        this.headerPrefix = keyPrefix + "h:";
        this.addressPrefix = keyPrefix + "ip:";
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<Decision> evaluate(PolicyContext context) {
        String key = keyOf(context);
        CompletionStage<RateLimitResult> stage;
        try {
            stage = store.acquire(key, limits);
        } catch (RuntimeException e) {
            return Decision.completed(storeFailed(context));
        }
        if (stage instanceof CompletableFuture<RateLimitResult> done && done.isDone()) {
            return Decision.completed(done.isCompletedExceptionally() ? storeFailed(context) : decide(done.getNow(null), context));
        }
        return stage.handle((result, failure) -> failure != null ? storeFailed(context) : decide(result, context));
    }

    private Decision decide(RateLimitResult result, PolicyContext context) {
        List<HttpHeader> headers = result.headers().entrySet().stream()
                .map(header -> new HttpHeader(header.getKey(), header.getValue())).toList();
        if (result.allowed()) {
            return new Decision.Continue("allowed", null, List.of(), headers);
        }
        Problem problem = Problem.of(ProblemTypes.RATE_LIMITED,
                "Rate limit exceeded; retry after " + result.retryAfterSeconds() + " s.", context.request().path(), context.requestId());
        return new Decision.Reply("limited", problem, headers);
    }

    private Decision storeFailed(PolicyContext context) {
        if (config.onStoreFailure() == RateLimitConfig.FailureMode.OPEN) {
            return FAILED_OPEN;
        }
        Problem problem = Problem.of(ProblemTypes.RATE_LIMIT_UNAVAILABLE,
                "Rate limiting is temporarily unavailable; retry shortly.", context.request().path(), context.requestId());
        return new Decision.Reply("store_unavailable_closed", problem, List.of(new HttpHeader(RETRY_AFTER, "1")));
    }

    private String keyOf(PolicyContext context) {
        Identity identity = context.identity();
        PolicyRequest request = context.request();
        return switch (config.key()) {
            case RateLimitKey.Route route -> keyPrefix + "route";
            case RateLimitKey.Consumer consumer when identity != null && identity.consumer() != null -> consumerPrefix + identity.consumer();
            case RateLimitKey.Consumer consumer when identity != null -> subjectPrefix + identity.subject();
            case RateLimitKey.Subject subject when identity != null -> subjectPrefix + identity.subject();
            case RateLimitKey.Header header when request.header(header.name()) != null -> headerPrefix + bounded(request.header(header.name()));
            default -> addressPrefix + address(request);
        };
    }

    /** Client-controlled values become keys as they are up to 64 characters, longer ones as their SHA-256. */
    public static String bounded(String value) {
        if (value.length() <= 64) {
            return value;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    private String address(PolicyRequest request) {
        InetAddress address = addresses.resolve(request);
        return address == null ? "unknown" : address.getHostAddress();
    }
}
