package io.atrium.router.http;

import java.util.Map;

/**
 * The result of handling a request.
 *
 * @param kind          what the status code should reflect under {@code application/graphql-response+json}
 * @param subgraphCalls subgraph requests the operation took (for the operation log)
 * @param cacheControl  the answer's {@code Cache-Control}; null = none computed (the HTTP layer sends
 *                      {@code no-store} when the {@code cache_control} block is on)
 */
public record GraphQLOutcome(Kind kind, Map<String, Object> body, int subgraphCalls, String cacheControl) {
    public GraphQLOutcome(Kind kind, Map<String, Object> body, int subgraphCalls) {
        this(kind, body, subgraphCalls, null);
    }

    public GraphQLOutcome(Kind kind, Map<String, Object> body) {
        this(kind, body, 0, null);
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
        METHOD_NOT_ALLOWED
    }
}
