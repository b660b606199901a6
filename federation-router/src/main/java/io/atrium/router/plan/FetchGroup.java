package io.atrium.router.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One subgraph request under construction: its selection, its representations per entity type (entity fetches)
 * and its place in the dependency tree (it runs after {@code parent}).
 */
final class FetchGroup {
    final int id;
    final String graph;
    final List<String> path;
    final boolean entity;
    final SelNode selection = new SelNode();
    final Map<String, SelNode> requires = new LinkedHashMap<>();
    final Set<String> variables = new LinkedHashSet<>();
    /** Entity types whose representation carries {@code @requires} fields, not just a key. */
    final Set<String> requiresTypes = new LinkedHashSet<>();
    final Set<String> typenameRewrites = new LinkedHashSet<>();
    /** {@code @fromContext} argument values this fetch sends as variables (name → type in the operation). */
    final List<PlanNode.ContextVariable> contextVariables = new ArrayList<>();
    final Map<String, String> contextVariableTypes = new LinkedHashMap<>();
    /** Conditions under which every use of this fetch was planned (null until first use); it runs only then. */
    List<ResponseShape.Condition> conditions;
    FetchGroup parent;
    /** Every group this one must run after (its parent is the deepest of them; the others may be in other branches). */
    final Set<FetchGroup> dependencies = new LinkedHashSet<>();
    final List<FetchGroup> children = new ArrayList<>();

    FetchGroup(int id, String graph, List<String> path, boolean entity) {
        this.id = id;
        this.graph = graph;
        this.path = List.copyOf(path);
        this.entity = entity;
    }

    /** Keeps only the conditions this use shares with earlier ones. */
    void constrain(java.util.Collection<ResponseShape.Condition> current) {
        if (conditions == null) {
            conditions = new ArrayList<>(new java.util.LinkedHashSet<>(current));
        } else {
            conditions.retainAll(current);
        }
    }
}
