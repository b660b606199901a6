package io.atrium.policy.ratelimit;

/**
 * The verdict of the most restrictive limit of a request.
 *
 * @param allowed whether the request may go on (then it was counted against every limit; when refused, against none)
 * @param limit the burst size of the most restrictive limit ({@code RateLimit-Limit})
 * @param remaining requests still allowed right now by that limit ({@code RateLimit-Remaining})
 * @param resetSeconds seconds until that limit is fully replenished ({@code RateLimit-Reset})
 * @param retryAfterSeconds when refused, seconds until a request would be allowed ({@code Retry-After}); 0 when allowed
 */
public record RateLimitResult(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

    /** The response headers of this verdict: {@code RateLimit-Limit/Remaining/Reset}, and {@code Retry-After} when refused. */
    public java.util.Map<String, String> headers() {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (!allowed) {
            headers.put(RateLimitPolicy.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        headers.put(RateLimitPolicy.LIMIT, Long.toString(limit));
        headers.put(RateLimitPolicy.REMAINING, Long.toString(allowed ? remaining : 0));
        headers.put(RateLimitPolicy.RESET, Long.toString(resetSeconds));
        return headers;
    }
}
