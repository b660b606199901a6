package io.atrium.router.supergraph;

import graphql.language.SelectionSet;

/** A {@code @key} of a type in one subgraph. */
public record EntityKey(String graph, String fields, SelectionSet selection, boolean resolvable) {
}
