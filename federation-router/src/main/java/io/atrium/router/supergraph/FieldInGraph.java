package io.atrium.router.supergraph;

import graphql.language.SelectionSet;

/**
 * How one subgraph defines a field ({@code @join__field}).
 *
 * @param requires      the {@code @requires} selection on the parent type, or null
 * @param provides      the {@code @provides} selection on the field's type, or null
 * @param overrideFrom  the subgraph this field was taken over from, or null
 * @param overrideLabel the progressive override label, or null
 * @param usedOverridden the field is kept here only for keys/requires; it is not resolved from here
 * @param contextArguments arguments ({@code @fromContext}) whose values come from an ancestor (join v0.5)
 * @param namedTypeInGraph the field's named type in this subgraph when it differs from the supergraph's (e.g. an
 *                       object type where the supergraph has a union of it), or null
 * @param typeInGraph    the field's whole type in this subgraph as {@code @join__field(type:)} gives it (e.g.
 *                       {@code ID!} where the supergraph has {@code ID}), or null when not given
 */
public record FieldInGraph(
        String graph,
        boolean external,
        SelectionSet requires,
        String requiresText,
        SelectionSet provides,
        String overrideFrom,
        String overrideLabel,
        boolean usedOverridden,
        java.util.List<ContextArgument> contextArguments,
        String namedTypeInGraph,
        String typeInGraph) {

    public FieldInGraph {
        contextArguments = contextArguments == null ? java.util.List.of() : java.util.List.copyOf(contextArguments);
    }

    public FieldInGraph(String graph, boolean external, SelectionSet requires, String requiresText, SelectionSet provides,
                        String overrideFrom, String overrideLabel, boolean usedOverridden) {
        this(graph, external, requires, requiresText, provides, overrideFrom, overrideLabel, usedOverridden, null, null,
                null);
    }

    /**
     * One {@code join__ContextArgument}: argument {@code name} of GraphQL type {@code type} takes the value of
     * {@code selection} on the nearest ancestor whose type is marked {@code @context(name: context)}.
     */
    public record ContextArgument(String name, String type, String context, SelectionSet selection) {
    }
}
