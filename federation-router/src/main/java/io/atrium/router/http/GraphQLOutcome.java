package io.atrium.router.http;

import java.util.Map;

/**
 * The result of handling a request.
 *
 * @param kind          what the status code should reflect under {@code application/graphql-response+json}
 * @param subgraphCalls subgraph requests the operation took (for the operation log)
 */
public record GraphQLOutcome(Kind kind, Map<String, Object> body, int subgraphCalls) {
    public GraphQLOutcome(Kind kind, Map<String, Object> body) {
        this(kind, body, 0);
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
