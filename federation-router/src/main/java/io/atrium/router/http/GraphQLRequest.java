package io.atrium.router.http;

import io.atrium.policy.Identity;
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
 * @param identity       the verified caller (subject, consumer, scopes, roles, claims); null when anonymous
 * @param trace          the request's W3C trace, continued to the subgraphs; null = none
 * @param personal       the request came with credentials (an identity, {@code Authorization}, the edge's
 *                       assertion): its answer is {@code private} at most
 */
public record GraphQLRequest(String query, String operationName, Map<String, Object> variables, boolean get,
                             boolean wantsQueryPlan, Set<String> overrideLabels, Map<String, String> forwardedHeaders,
                             String clientName, Identity identity, io.atrium.router.observe.TraceContext trace,
                             boolean personal, io.atrium.router.execute.SharedFetches sharedFetches) {
    public GraphQLRequest {
        variables = variables == null ? Map.of() : variables;
        overrideLabels = Set.copyOf(overrideLabels);
        forwardedHeaders = Map.copyOf(forwardedHeaders);
        personal |= identity != null;
    }

    public GraphQLRequest(String query, String operationName, Map<String, Object> variables, boolean get,
                          boolean wantsQueryPlan, Set<String> overrideLabels, Map<String, String> forwardedHeaders,
                          String clientName, Identity identity, io.atrium.router.observe.TraceContext trace) {
        this(query, operationName, variables, get, wantsQueryPlan, overrideLabels, forwardedHeaders, clientName, identity,
                trace, false, null);
    }

    public GraphQLRequest(String query, String operationName, Map<String, Object> variables, boolean get,
                          boolean wantsQueryPlan, Set<String> overrideLabels, Map<String, String> forwardedHeaders,
                          String clientName, Identity identity) {
        this(query, operationName, variables, get, wantsQueryPlan, overrideLabels, forwardedHeaders, clientName, identity, null);
    }

    public GraphQLRequest(String query, String operationName, Map<String, Object> variables, boolean get,
                          boolean wantsQueryPlan, Set<String> overrideLabels, Map<String, String> forwardedHeaders) {
        this(query, operationName, variables, get, wantsQueryPlan, overrideLabels, forwardedHeaders, null, null, null);
    }

    public GraphQLRequest(String query, String operationName, Map<String, Object> variables, boolean get,
                          boolean wantsQueryPlan, Set<String> overrideLabels) {
        this(query, operationName, variables, get, wantsQueryPlan, overrideLabels, Map.of(), null, null, null);
    }
}
