package io.atrium.router.supergraph;

import graphql.language.Type;
import java.util.Map;
import java.util.Set;

/**
 * A field of a composite type in the supergraph with its per-subgraph definitions.
 *
 * @param graphs           subgraph enum value → definition, in supergraph order
 * @param labelOverriddenIn subgraph enum value → override label: the field is resolved there only while the label is off
 */
public record FieldMeta(
        String name,
        Type<?> type,
        String namedType,
        boolean list,
        Map<String, FieldInGraph> graphs,
        Map<String, String> labelOverriddenIn,
        boolean inaccessible) {

    public FieldMeta {
        graphs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(graphs));
        labelOverriddenIn = Map.copyOf(labelOverriddenIn);
    }

    /** True when the subgraph can resolve this field for a client (not external, not overridden away). */
    public boolean resolvableIn(String graph, Set<String> enabledLabels) {
        FieldInGraph field = graphs.get(graph);
        if (field == null || field.external() || field.usedOverridden()) {
            return false;
        }
        if (field.overrideLabel() != null) {
            // The taking subgraph (override: "from") serves the field while the label is on; the original
            // subgraph carries the same label without "override" and serves it while the label is off.
            boolean on = enabledLabels.contains(field.overrideLabel());
            return field.overrideFrom() != null ? on : !on;
        }
        String label = labelOverriddenIn.get(graph);
        return label == null || !enabledLabels.contains(label);
    }

    /** True when the subgraph knows this field at all (also as external or kept for keys). */
    public boolean definedIn(String graph) {
        return graphs.containsKey(graph);
    }
}
