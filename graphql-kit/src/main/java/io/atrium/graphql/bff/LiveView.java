package io.atrium.graphql.bff;

import graphql.GraphQL;
import io.atrium.graphql.contract.ContractView;
import io.atrium.graphql.document.DocumentCache;

/**
 * What a BFF serves at one registry version: its view of the supergraph, the document cache validating against it,
 * an executor answering introspection from it, and the app versions' trusted operations. Immutable; swapped whole.
 */
public record LiveView(long registryVersion, ContractView view, DocumentCache documents, GraphQL introspection,
                       AppOperations operations) {
}
