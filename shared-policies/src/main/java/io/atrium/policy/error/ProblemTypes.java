package io.atrium.policy.error;

/**
 * The problem types shared by every Atrium deployable. The {@code code} strings are a public contract:
 * never rename one, add a new one instead.
 */
public final class ProblemTypes {

    public static final String ROUTE_NOT_FOUND_CODE = "ROUTE_NOT_FOUND";
    public static final String UPSTREAM_UNAVAILABLE_CODE = "UPSTREAM_UNAVAILABLE";
    public static final String UPSTREAM_TIMEOUT_CODE = "UPSTREAM_TIMEOUT";
    public static final String BAD_REQUEST_CODE = "BAD_REQUEST";

    /** 404: no configured route matches the request path. */
    public static final ProblemType ROUTE_NOT_FOUND = ProblemType.of(ROUTE_NOT_FOUND_CODE, 404, "No route matches the request");
    /** 502: the upstream refused, reset or closed the connection before sending a response. */
    public static final ProblemType UPSTREAM_UNAVAILABLE = ProblemType.of(UPSTREAM_UNAVAILABLE_CODE, 502, "Upstream unavailable");
    /** 504: the upstream did not send a response head within the route's response timeout. */
    public static final ProblemType UPSTREAM_TIMEOUT = ProblemType.of(UPSTREAM_TIMEOUT_CODE, 504, "Upstream timed out");
    /** 400: the request could not be parsed or is not acceptable as HTTP. */
    public static final ProblemType BAD_REQUEST = ProblemType.of(BAD_REQUEST_CODE, 400, "Malformed request");

    // Response transformation.
    public static final String UPSTREAM_RESPONSE_TOO_LARGE_CODE = "UPSTREAM_RESPONSE_TOO_LARGE";

    /** 502: a response body the route transforms is larger than the route lets the gateway buffer ({@code on_too_large: reject}). */
    public static final ProblemType UPSTREAM_RESPONSE_TOO_LARGE =
            ProblemType.of(UPSTREAM_RESPONSE_TOO_LARGE_CODE, 502, "Upstream response too large to transform");

    // Request protection (limits, framing, CORS, address filters).
    public static final String PAYLOAD_TOO_LARGE_CODE = "PAYLOAD_TOO_LARGE";
    public static final String REQUEST_HEADERS_TOO_LARGE_CODE = "REQUEST_HEADERS_TOO_LARGE";
    public static final String URI_TOO_LONG_CODE = "URI_TOO_LONG";
    public static final String CLIENT_ADDRESS_DENIED_CODE = "CLIENT_ADDRESS_DENIED";
    public static final String CORS_REJECTED_CODE = "CORS_REJECTED";

    /** 413: the request body is larger than the route's {@code max_request_body}. */
    public static final ProblemType PAYLOAD_TOO_LARGE = ProblemType.of(PAYLOAD_TOO_LARGE_CODE, 413, "Request body too large");
    /** 431: the request headers are larger than {@code limits.max_header_size}. */
    public static final ProblemType REQUEST_HEADERS_TOO_LARGE = ProblemType.of(REQUEST_HEADERS_TOO_LARGE_CODE, 431, "Request headers too large");
    /** 414: the request line is longer than the edge accepts. */
    public static final ProblemType URI_TOO_LONG = ProblemType.of(URI_TOO_LONG_CODE, 414, "Request target too long");
    /** 403: the client address is denied by the route's {@code ip_filter}. */
    public static final ProblemType CLIENT_ADDRESS_DENIED = ProblemType.of(CLIENT_ADDRESS_DENIED_CODE, 403, "Client address not allowed");
    /** 403: a CORS preflight asked for an origin, method or header the route does not allow. */
    public static final ProblemType CORS_REJECTED = ProblemType.of(CORS_REJECTED_CODE, 403, "CORS request not allowed");

    public static final String REQUEST_TIMEOUT_CODE = "REQUEST_TIMEOUT";
    /** 408: the client did not send a complete request head, or stalled its body, within the edge's timeouts. */
    public static final ProblemType REQUEST_TIMEOUT = ProblemType.of(REQUEST_TIMEOUT_CODE, 408, "Request timeout");

    // Admin API.
    public static final String CONFIG_INVALID_CODE = "CONFIG_INVALID";
    public static final String ADMIN_UNAUTHORIZED_CODE = "ADMIN_UNAUTHORIZED";

    /** 401: the admin API needs the configured bearer token. */
    public static final ProblemType ADMIN_UNAUTHORIZED = ProblemType.of(ADMIN_UNAUTHORIZED_CODE, 401, "Admin token required");

    // Resilience (circuit breaking).
    public static final String UPSTREAM_CIRCUIT_OPEN_CODE = "UPSTREAM_CIRCUIT_OPEN";

    /** 503: the cluster's circuit breaker is open after too many failures; {@code Retry-After} says when it may close. */
    public static final ProblemType UPSTREAM_CIRCUIT_OPEN =
            ProblemType.of(UPSTREAM_CIRCUIT_OPEN_CODE, 503, "Upstream circuit open");

    // Policies (auth, rate limiting, the chain itself).
    public static final String UNAUTHENTICATED_CODE = "UNAUTHENTICATED";
    public static final String FORBIDDEN_CODE = "FORBIDDEN";
    public static final String RATE_LIMITED_CODE = "RATE_LIMITED";
    public static final String RATE_LIMIT_UNAVAILABLE_CODE = "RATE_LIMIT_UNAVAILABLE";
    public static final String POLICY_FAILED_CODE = "POLICY_FAILED";

    /** 401: no credentials, or credentials that are invalid, expired or not for this gateway. */
    public static final ProblemType UNAUTHENTICATED = ProblemType.of(UNAUTHENTICATED_CODE, 401, "Authentication required");
    /** 403: authenticated, but the route needs scopes or roles the caller was not granted. */
    public static final ProblemType FORBIDDEN = ProblemType.of(FORBIDDEN_CODE, 403, "Insufficient scope");
    /** 429: a rate limit of the route is exhausted; {@code Retry-After} says when to try again. */
    public static final ProblemType RATE_LIMITED = ProblemType.of(RATE_LIMITED_CODE, 429, "Too many requests");
    /** 503: the shared rate-limit store is unreachable and the route is configured to fail closed. */
    public static final ProblemType RATE_LIMIT_UNAVAILABLE = ProblemType.of(RATE_LIMIT_UNAVAILABLE_CODE, 503, "Rate limiting unavailable");
    /** 500: a policy failed unexpectedly; the request was not forwarded. */
    public static final ProblemType POLICY_FAILED = ProblemType.of(POLICY_FAILED_CODE, 500, "Policy failed");

    private ProblemTypes() {
    }
}
