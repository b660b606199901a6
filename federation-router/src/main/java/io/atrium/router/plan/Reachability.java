package io.atrium.router.plan;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.atrium.router.supergraph.EntityKey;
import io.atrium.router.supergraph.FieldInGraph;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.TypeInGraph;
import io.atrium.router.supergraph.TypeKind;
import io.atrium.router.supergraph.TypeMeta;
import java.util.List;
import java.util.Set;

/**
 * What a subgraph can resolve from where it stands: local fields, value-type subtrees, keys it can supply or leave
 * by. Questions only; it plans nothing.
 */
final class Reachability {
    private final PlanningContext ctx;
    private final Supergraph supergraph;
    private final Set<String> labels;

    Reachability(PlanningContext ctx) {
        this.ctx = ctx;
        this.supergraph = ctx.supergraph;
        this.labels = ctx.labels;
    }

    /**
     * A key field {@code graph} marks {@code @external} on a type it defines (not extends) and no {@code @provides}
     * gives: it is owned elsewhere, so the subgraph does not return it (see {@code canSupply}).
     */
    boolean notOwnedKeyField(String graph, TypeMeta type, FieldMeta meta, SelectionSet provided) {
        FieldInGraph in = meta.graphs().get(graph);
        TypeInGraph typeIn = type.graphs().get(graph);
        return in != null && in.external() && typeIn != null && !typeIn.extension()
                && PlanningSupport.providedField(provided, meta.name()) == null;
    }

    /** A field with {@code @fromContext} arguments in {@code graph} is always fetched with an entity fetch there. */
    boolean hasContextArguments(FieldMeta meta, String graph) {
        FieldInGraph in = meta.graphs().get(graph);
        return in != null && !in.contextArguments().isEmpty();
    }

    boolean isLocal(String graph, FieldMeta meta, String name, SelectionSet provided) {
        FieldInGraph in = meta.graphs().get(graph);
        if (in == null) {
            return false;
        }
        if (ctx.keyDepth > 0 && in.requires() == null) {
            return true;
        }
        if (in.external()) {
            return PlanningSupport.providedField(provided, name) != null;
        }
        return meta.resolvableIn(graph, labels) && in.requires() == null;
    }

    /**
     * Below a field, entities can always be left with an entity fetch, but value types (no key anywhere) cannot:
     * a subgraph that lacks some selected field of a value type must not resolve the field that returns it.
     */
    boolean subtreeReachable(String graph, FieldMeta meta, Field field, SelectionSet provided) {
        TypeMeta type = supergraph.type(meta.namedType());
        if (type == null || !type.kind().isComposite() || field.getSelectionSet() == null || isEntity(type)) {
            return true;
        }
        return valueSelectionLocal(graph, type, field.getSelectionSet(), provided, 0);
    }

    boolean isEntity(TypeMeta type) {
        for (TypeInGraph in : type.graphs().values()) {
            if (in.hasResolvableKey()) {
                return true;
            }
        }
        return false;
    }

    boolean valueSelectionLocal(String graph, TypeMeta type, SelectionSet set, SelectionSet provided, int depth) {
        if (depth > 32) {
            return true;
        }
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    if (field.getName().equals("__typename")) {
                        continue;
                    }
                    List<String> owners = type.kind() == TypeKind.OBJECT ? List.of(type.name())
                            : supergraph.possibleTypesIn(type.name(), graph);
                    for (String owner : owners) {
                        TypeMeta ownerType = supergraph.type(owner);
                        FieldMeta meta = ownerType.field(field.getName());
                        if (meta == null) {
                            continue;
                        }
                        if (!isLocal(graph, meta, field.getName(), provided)) {
                            if (isEntity(ownerType) && hasKeyToLeave(graph, ownerType, provided)) {
                                continue; // an entity behind an abstract type: fetched from elsewhere by its key
                            }
                            return false;
                        }
                        TypeMeta fieldType = supergraph.type(meta.namedType());
                        if (field.getSelectionSet() != null && fieldType != null && fieldType.kind().isComposite()
                                && !isEntity(fieldType) && !valueSelectionLocal(graph, fieldType, field.getSelectionSet(),
                                PlanningSupport.childProvided(graph, meta, field, provided), depth + 1)) {
                            return false;
                        }
                    }
                }
                case InlineFragment inline -> {
                    TypeMeta condition = inline.getTypeCondition() == null ? type
                            : supergraph.type(inline.getTypeCondition().getName());
                    if (condition == null || neverReturnedBy(graph, condition)) {
                        continue;
                    }
                    if (isEntity(condition) ? !entityLeavable(graph, condition, inline.getSelectionSet(), provided)
                            : !valueSelectionLocal(graph, condition, inline.getSelectionSet(), provided, depth + 1)) {
                        return false;
                    }
                }
                case FragmentSpread spread -> {
                    FragmentDefinition definition = ctx.fragment(spread);
                    TypeMeta condition = supergraph.type(definition.getTypeCondition().getName());
                    if (condition != null && !isEntity(condition) && !neverReturnedBy(graph, condition)
                            && !valueSelectionLocal(graph, condition, definition.getSelectionSet(), provided, depth + 1)) {
                        return false;
                    }
                }
                default -> { }
            }
        }
        return true;
    }

    /**
     * An object type a subgraph does not define never comes back from it (e.g. a union member only another subgraph
     * has), so a fragment on it does not keep that subgraph from resolving the field around it.
     */
    boolean neverReturnedBy(String graph, TypeMeta condition) {
        return condition.kind() == TypeKind.OBJECT && !condition.definedIn(graph);
    }

    /**
     * True when the fields selected on entity type {@code type} are all resolved by {@code graph}, or when
     * {@code graph} can supply a key of another subgraph's to fetch them there (it may have none: an
     * {@code @external} key field is not returned by the subgraph that declares it so).
     */
    boolean entityLeavable(String graph, TypeMeta type, SelectionSet set, SelectionSet provided) {
        if (!type.definedIn(graph)) {
            return true;
        }
        boolean local = true;
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field && !field.getName().equals("__typename")) {
                FieldMeta meta = type.field(field.getName());
                local &= meta != null && isLocal(graph, meta, field.getName(), provided);
            }
        }
        return local || hasKeyToLeave(graph, type, provided);
    }

    /** True when {@code graph} can supply a key of another subgraph's for entity type {@code type}. */
    boolean hasKeyToLeave(String graph, TypeMeta type, SelectionSet provided) {
        for (String other : type.graphs().keySet()) {
            if (!other.equals(graph) && localKey(graph, type.name(), other, provided) != null) {
                return true;
            }
        }
        return false;
    }

    /** A resolvable key of {@code typeName} in {@code toGraph} whose fields {@code fromGraph} can supply. */
    EntityKey localKey(String fromGraph, String typeName, String toGraph, SelectionSet provided) {
        TypeInGraph target = supergraph.type(typeName).graphs().get(toGraph);
        if (target == null) {
            return null;
        }
        for (EntityKey key : target.keys()) {
            if (key.resolvable() && canSupply(fromGraph, typeName, key.selection(), provided)) {
                return key;
            }
        }
        return null;
    }

    EntityKey anyResolvableKey(String typeName, String graph) {
        TypeInGraph target = supergraph.type(typeName).graphs().get(graph);
        if (target == null) {
            return null;
        }
        for (EntityKey key : target.keys()) {
            if (key.resolvable()) {
                return key;
            }
        }
        return null;
    }

    /**
     * True when a subgraph can return all fields of a key selection itself: fields it defines, and the
     * {@code @external} key fields of a type it extends (an entity reference carries its key), but not those it
     * marks {@code @external} on a type it defines, unless a {@code @provides} gives them.
     */
    boolean canSupply(String graph, String typeName, SelectionSet set, SelectionSet provided) {
        TypeMeta type = supergraph.type(typeName);
        if (type == null || !type.definedIn(graph)) {
            return false;
        }
        for (Selection<?> selection : set.getSelections()) {
            if (!(selection instanceof Field field)) {
                return false;
            }
            if (field.getName().equals("__typename")) {
                continue;
            }
            FieldMeta meta = type.field(field.getName());
            if (meta == null || !meta.definedIn(graph) || meta.graphs().get(graph).requires() != null) {
                return false;
            }
            if (notOwnedKeyField(graph, type, meta, provided)) {
                return false;
            }
            if (field.getSelectionSet() != null && !canSupply(graph, meta.namedType(), field.getSelectionSet(),
                    PlanningSupport.subProvided(PlanningSupport.providedField(provided, field.getName())))) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many selected fields a subgraph resolves itself, nested ones and those in fragments included, counting
     * what the root field's {@code @provides} gives it: a cheap proxy for fewer jumps, so that a shareable root
     * field goes to the subgraph that provides the selection rather than to one that only has the key.
     */
    int localScore(String graph, String typeName, SelectionSet set, SelectionSet provided, int depth) {
        TypeMeta type = supergraph.type(typeName);
        if (set == null || type == null || depth > 32) {
            return 0;
        }
        int score = 0;
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    FieldMeta meta = type.field(field.getName());
                    if (meta != null && isLocal(graph, meta, field.getName(), provided)) {
                        score += 1 + localScore(graph, meta.namedType(), field.getSelectionSet(),
                                PlanningSupport.childProvided(graph, meta, field, provided), depth + 1);
                    }
                }
                case InlineFragment inline -> score += localScore(graph,
                        inline.getTypeCondition() == null ? typeName : inline.getTypeCondition().getName(),
                        inline.getSelectionSet(), provided, depth + 1);
                case FragmentSpread spread -> {
                    FragmentDefinition definition = ctx.fragment(spread);
                    score += localScore(graph, definition.getTypeCondition().getName(), definition.getSelectionSet(),
                            provided, depth + 1);
                }
                default -> { }
            }
        }
        return score;
    }

    /** True when every selection is a field the subgraph resolves on the interface and on each implementation. */
    boolean abstractFieldsLocal(String graph, TypeMeta type, List<String> possible, List<Selection> selections,
                                SelectionSet provided) {
        if (!type.definedIn(graph) || type.isInterfaceObjectIn(graph)) {
            return false;
        }
        for (Selection<?> selection : selections) {
            if (!(selection instanceof Field field)) {
                return false;
            }
            if (field.getName().equals("__typename")) {
                continue;
            }
            FieldMeta meta = type.field(field.getName());
            if (meta == null || !isLocal(graph, meta, field.getName(), provided)) {
                return false;
            }
            for (String objectType : possible) {
                FieldMeta objectField = supergraph.type(objectType).field(field.getName());
                if (objectField == null || !isLocal(graph, objectField, field.getName(), provided)) {
                    return false;
                }
            }
        }
        return true;
    }

    boolean setsContext(String typeName, String context) {
        TypeMeta type = supergraph.type(typeName);
        if (type == null) {
            return false;
        }
        if (type.contexts().contains(context)) {
            return true;
        }
        for (String iface : type.interfaces()) {
            TypeMeta meta = supergraph.type(iface);
            if (meta != null && meta.contexts().contains(context)) {
                return true;
            }
        }
        for (TypeMeta candidate : supergraph.types().values()) {
            if (candidate.kind() == TypeKind.UNION && candidate.contexts().contains(context)
                    && candidate.members().contains(typeName)) {
                return true;
            }
        }
        return false;
    }

    String firstResolvingGraph(FieldMeta meta) {
        for (String graph : meta.graphs().keySet()) {
            if (meta.resolvableIn(graph, labels)) {
                return graph;
            }
        }
        throw new PlanningException("no subgraph can resolve field " + meta.name());
    }
}
