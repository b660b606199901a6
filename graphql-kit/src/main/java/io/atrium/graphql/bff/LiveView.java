package io.atrium.graphql.bff;

import graphql.GraphQL;
import io.atrium.graphql.contract.ContractView;
import io.atrium.graphql.cost.CostEstimator;
import io.atrium.graphql.document.DocumentCache;

/**
 * What a BFF serves at one registry version: its view of the supergraph, the document cache validating against it,
 * an executor answering introspection from it, the cost estimator ({@code @cost}/{@code @listSize} of the supergraph
 * over the view), and the app versions' trusted operations. Immutable; swapped whole.
 */
public record LiveView(long registryVersion, ContractView view, DocumentCache documents, GraphQL introspection,
                       CostEstimator cost, AppOperations operations) {
}
