package io.atrium.router.execute;

import io.atrium.router.plan.QueryPlan;
import io.atrium.router.supergraph.Supergraph;
import java.util.Map;

/**
 * Everything one execution needs.
 *
 * @param variables          the client's variables as sent (JSON values), forwarded to subgraphs
 * @param effectiveVariables the variables with defaults applied, for {@code @skip}/{@code @include} and conditions
 * @param introspection      root response key → value for introspection fields answered by the router
 * @param headers            client headers to forward to every subgraph request
 * @param trace              the request's trace, continued to every subgraph call ({@code traceparent}); null = none
 * @param cacheControl       merge the fetches' {@code Cache-Control} into {@link ExecutionResult#cachePolicy()}
 *                           (a query with the {@code cache_control} block on); false = nothing is collected
 * @param sharedFetches      the fetches of the client batch the request is part of ({@link SharedFetches}); null =
 *                           not in a batch
 */
public record ExecutionRequest(Supergraph supergraph, QueryPlan plan, Map<String, Object> variables,
                               Map<String, Object> effectiveVariables, Map<String, Object> introspection,
                               Map<String, String> headers, io.atrium.router.observe.TraceContext trace,
                               boolean cacheControl, SharedFetches sharedFetches) {
    public ExecutionRequest(Supergraph supergraph, QueryPlan plan, Map<String, Object> variables,
                            Map<String, Object> effectiveVariables, Map<String, Object> introspection,
                            Map<String, String> headers, io.atrium.router.observe.TraceContext trace, boolean cacheControl) {
        this(supergraph, plan, variables, effectiveVariables, introspection, headers, trace, cacheControl, null);
    }

    public ExecutionRequest(Supergraph supergraph, QueryPlan plan, Map<String, Object> variables,
                            Map<String, Object> effectiveVariables, Map<String, Object> introspection,
                            Map<String, String> headers, io.atrium.router.observe.TraceContext trace) {
        this(supergraph, plan, variables, effectiveVariables, introspection, headers, trace, false);
    }

    public ExecutionRequest(Supergraph supergraph, QueryPlan plan, Map<String, Object> variables,
                            Map<String, Object> effectiveVariables, Map<String, Object> introspection,
                            Map<String, String> headers) {
        this(supergraph, plan, variables, effectiveVariables, introspection, headers, null);
    }
}
