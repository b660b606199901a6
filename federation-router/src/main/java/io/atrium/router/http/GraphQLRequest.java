package io.atrium.router.http;

import java.util.Map;
import java.util.Set;

/**
 * One GraphQL-over-HTTP request, already decoded from JSON body or query string.
 *
 * @param get            true for GET (queries only)
 * @param wantsQueryPlan the request carries the configured plan header
 * @param overrideLabels progressive-override labels enabled for this request
 * @param forwardedHeaders client headers to forward to subgraphs (those the config names)
 * @param clientName     the client name the request sent (selects per-client limits); null when none
 */
public record GraphQLRequest(String query, String operationName, Map<String, Object> variables, boolean get,
                             boolean wantsQueryPlan, Set<String> overrideLabels, Map<String, String> forwardedHeaders,
                             String clientName) {
    public GraphQLRequest {
        variables = variables == null ? Map.of() : variables;
        overrideLabels = Set.copyOf(overrideLabels);
        forwardedHeaders = Map.copyOf(forwardedHeaders);
    }

    public GraphQLRequest(String query, String operationName, Map<String, Object> variables, boolean get,
                          boolean wantsQueryPlan, Set<String> overrideLabels, Map<String, String> forwardedHeaders) {
        this(query, operationName, variables, get, wantsQueryPlan, overrideLabels, forwardedHeaders, null);
    }

    public GraphQLRequest(String query, String operationName, Map<String, Object> variables, boolean get,
                          boolean wantsQueryPlan, Set<String> overrideLabels) {
        this(query, operationName, variables, get, wantsQueryPlan, overrideLabels, Map.of(), null);
    }
}
