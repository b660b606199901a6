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
 */
public record FieldInGraph(
        String graph,
        boolean external,
        SelectionSet requires,
        String requiresText,
        SelectionSet provides,
        String overrideFrom,
        String overrideLabel,
        boolean usedOverridden) {
}
