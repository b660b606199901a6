package io.atrium.router.http;

import java.util.Map;

/**
 * The result of handling a request.
 *
 * @param kind          what the status code should reflect under {@code application/graphql-response+json}
 * @param subgraphCalls subgraph requests the operation took (for the operation log)
 * @param headers       response headers of the answer (e.g. the cost budget's RateLimit headers)
 */
public record GraphQLOutcome(Kind kind, Map<String, Object> body, int subgraphCalls, Map<String, String> headers) {
    public GraphQLOutcome(Kind kind, Map<String, Object> body) {
        this(kind, body, 0, Map.of());
    }

    public GraphQLOutcome(Kind kind, Map<String, Object> body, int subgraphCalls) {
        this(kind, body, subgraphCalls, Map.of());
    }

    /** This outcome with {@code more} headers. */
    public GraphQLOutcome withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putAll(more);
        return new GraphQLOutcome(kind, body, subgraphCalls, all);
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
