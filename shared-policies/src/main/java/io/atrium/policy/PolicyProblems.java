package io.atrium.policy;

import io.atrium.policy.error.ProblemType;

/**
 * The problem types the policies answer with. The codes are a public contract: never rename one.
 * (They belong next to {@link io.atrium.policy.error.ProblemTypes}; kept here until that class takes them.)
 */
public final class PolicyProblems {

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

    private PolicyProblems() {
    }
}
