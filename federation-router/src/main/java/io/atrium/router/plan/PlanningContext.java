package io.atrium.router.plan;

import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.VariableDefinition;
import io.atrium.router.plan.PlanningContext.Ancestor;
import io.atrium.router.plan.PlanningContext.Descent;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of planning one operation, shared by the phases of {@link QueryPlanner}: the fetch groups made so far,
 * the client's fragments and variables, and where the walk is (conditions, enclosing objects, the fields it came
 * down through, key depth).
 */
final class PlanningContext {
    final Supergraph supergraph;
    final Set<String> labels;
    final Map<String, FragmentDefinition> fragments = new HashMap<>();
    final Map<String, VariableDefinition> variableDefinitions = new LinkedHashMap<>();
    final List<FetchGroup> groups = new ArrayList<>();
    final List<FetchGroup> roots = new ArrayList<>();
    /** Entity jumps through keys that must themselves be fetched by key, on the current path. */
    int keyHops;
    /** Above zero while key fields are being planned. */
    int keyDepth;
    /** Variable conditions ({@code @skip}/{@code @include}) around the selection being planned. */
    final Deque<ResponseShape.Condition> conditions = new ArrayDeque<>();
    /** The objects being planned, innermost first: where {@code @fromContext} values are looked up. */
    final Deque<Ancestor> ancestors = new ArrayDeque<>();
    /** The fields whose sub-selections are being planned, innermost first: how each object was reached. */
    final Deque<Descent> descents = new ArrayDeque<>();
    /** Context argument → variable for the field the next {@code addField} adds (a field with {@code @fromContext}). */
    Map<String, String> pendingContextArguments;

    record Ancestor(String typeName, Site site) {
    }

    /**
     * @param candidates the subgraphs that could all answer this field here (a {@code @shareable} field of an entity
     *                   every one of them can be reached on by key, and value-type fields below it), or null
     */
    record Descent(Field field, FieldMeta meta, Set<String> candidates) {
    }

    PlanningContext(Supergraph supergraph, Set<String> labels) {
        this.supergraph = supergraph;
        this.labels = labels;
    }

    FragmentDefinition fragment(FragmentSpread spread) {
        FragmentDefinition definition = fragments.get(spread.getName());
        if (definition == null) {
            throw new PlanningException("unknown fragment " + spread.getName());
        }
        return definition;
    }

    /** The alias to send for a client field (see {@link Supergraph#dataKey}), or null. */
    String alias(Field field) {
        String key = supergraph.dataKey(field.getAlias(), field.getName());
        return key.equals(field.getName()) ? null : key;
    }

    List<String> childPath(List<String> path, Field field, FieldMeta meta) {
        List<String> child = new ArrayList<>(path);
        child.add(supergraph.dataKey(field.getAlias(), field.getName()));
        for (int i = 0; i < PlanningSupport.listDepth(meta.type()); i++) {
            child.add("@");
        }
        return child;
    }

    /**
     * Pushes the variable {@code @skip}/{@code @include} conditions of a selection; entity fetches created below
     * run only when they hold. Returns the number pushed, or -1 when a literal condition excludes the selection.
     */
    int pushConditions(List<Directive> directives) {
        int pushed = 0;
        for (ResponseShape.Condition condition : ShapeBuilder.conditions(directives)) {
            if (condition.variable() == null) {
                if (condition.include() != condition.literal()) {
                    popConditions(pushed);
                    return -1;
                }
                continue;
            }
            conditions.push(condition);
            pushed++;
        }
        return pushed;
    }

    void popConditions(int count) {
        for (int i = 0; i < count; i++) {
            conditions.pop();
        }
    }
}
