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

    private ProblemTypes() {
    }
}
