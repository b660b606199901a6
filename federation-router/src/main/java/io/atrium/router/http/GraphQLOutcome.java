package io.atrium.router.http;

import java.util.Map;

/**
 * The result of handling a request.
 *
 * @param kind          what the status code should reflect under {@code application/graphql-response+json}
 * @param subgraphCalls subgraph requests the operation took (for the operation log)
 * @param cacheControl  the answer's {@code Cache-Control}; null = none computed (the HTTP layer sends
 *                      {@code no-store} when the {@code cache_control} block is on)
 * @param headers       more response headers of the answer (e.g. the cost budget's RateLimit headers)
 */
public record GraphQLOutcome(Kind kind, Map<String, Object> body, int subgraphCalls, String cacheControl,
                             Map<String, String> headers) {
    public GraphQLOutcome(Kind kind, Map<String, Object> body) {
        this(kind, body, 0, null, Map.of());
    }

    public GraphQLOutcome(Kind kind, Map<String, Object> body, int subgraphCalls) {
        this(kind, body, subgraphCalls, null, Map.of());
    }

    public GraphQLOutcome(Kind kind, Map<String, Object> body, int subgraphCalls, String cacheControl) {
        this(kind, body, subgraphCalls, cacheControl, Map.of());
    }

    public GraphQLOutcome(Kind kind, Map<String, Object> body, int subgraphCalls, Map<String, String> headers) {
        this(kind, body, subgraphCalls, null, headers);
    }

    /** This outcome with {@code more} headers. */
    public GraphQLOutcome withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putAll(more);
        return new GraphQLOutcome(kind, body, subgraphCalls, cacheControl, all);
    }

    public enum Kind {
        /** Executed (possibly with errors and partial data). */
        EXECUTED,
        /** The request was not executed: parse, validation or variable errors. */
        REQUEST_ERROR,
        /** Refused before execution whatever the response format (operation limits): HTTP 400. */
        REFUSED,
        /** Refused by authorization ({@code reject_unauthorized}): HTTP 403. */
        FORBIDDEN,
        /** A mutation over GET. */
        METHOD_NOT_ALLOWED,
        /** Refused by the caller's cost budget: HTTP 429 (or 503 when the budget cannot be checked). */
        RATE_LIMITED,
        /** Not run because a store it needs is unreachable: HTTP 503. */
        UNAVAILABLE
    }
}
