package io.atrium.router.plan;

import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.atrium.router.plan.PlanningContext.Ancestor;
import io.atrium.router.plan.PlanningContext.Descent;
import io.atrium.router.supergraph.EntityKey;
import io.atrium.router.supergraph.FieldInGraph;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.TypeInGraph;
import io.atrium.router.supergraph.TypeKind;
import io.atrium.router.supergraph.TypeMeta;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Selection walking: plans the client's selections into the fetch of the subgraph being walked, field by field;
 * what that subgraph cannot resolve is handed to {@link EntityJumps}.
 */
final class SelectionPlanner {
    private final PlanningContext ctx;
    private final Reachability reach;
    private final FetchGroups fetchGroups;
    private final EntityJumps jumps;
    private final Supergraph supergraph;
    private final Set<String> labels;

    SelectionPlanner(PlanningContext ctx) {
        this.ctx = ctx;
        this.reach = new Reachability(ctx);
        this.fetchGroups = new FetchGroups(ctx, reach);
        this.jumps = new EntityJumps(ctx, reach, fetchGroups, this);
        this.supergraph = ctx.supergraph;
        this.labels = ctx.labels;
    }

    void planRoot(String rootType, List<Field> fields, boolean mutation) {
        TypeMeta root = supergraph.type(rootType);
        FetchGroup last = null;
        for (Field field : fields) {
            if (field.getName().startsWith("__")) {
                continue;
            }
            FieldMeta meta = root.field(field.getName());
            if (meta == null) {
                throw new PlanningException("unknown field " + rootType + "." + field.getName());
            }
            int pushed = ctx.pushConditions(field.getDirectives());
            if (pushed < 0) {
                continue;
            }
            try {
                if (!mutation && planSplitRootField(field, meta)) {
                    continue;
                }
                FetchGroup group = mutation ? fetchGroups.rootGroupForMutation(meta, last) : fetchGroups.rootGroupForQuery(meta, field);
                last = group;
                addField(new Site(group, group.selection, List.of(), null, new LinkedHashSet<>()), field, meta);
            } finally {
                ctx.popConditions(pushed);
            }
        }
    }

    /**
     * A root field of a value type (no key to come back with) whose selection no single subgraph resolves: every
     * subgraph that resolves the field ({@code @shareable}) fetches the part of the selection it can, largest part
     * first, and the answers merge into one value. Returns false when one subgraph can take the whole field.
     */
    boolean planSplitRootField(Field field, FieldMeta meta) {
        TypeMeta type = supergraph.type(meta.namedType());
        if (type == null || !type.kind().isComposite() || field.getSelectionSet() == null || reach.isEntity(type)) {
            return false;
        }
        List<String> graphs = new ArrayList<>();
        for (String graph : meta.graphs().keySet()) {
            if (meta.resolvableIn(graph, labels)) {
                if (reach.subtreeReachable(graph, meta, field, PlanningSupport.childProvided(graph, meta, field, null))) {
                    return false;
                }
                graphs.add(graph);
            }
        }
        if (graphs.size() < 2) {
            return false;
        }
        List<Selection> remaining = new ArrayList<>(field.getSelectionSet().getSelections());
        while (!remaining.isEmpty()) {
            String best = graphs.getFirst();
            List<Selection> bestPart = List.of();
            for (String graph : graphs) {
                List<Selection> part = localPart(graph, type, meta, field, remaining);
                if (part.size() > bestPart.size()) {
                    best = graph;
                    bestPart = part;
                }
            }
            List<Selection> selections = bestPart.isEmpty() ? List.copyOf(remaining) : bestPart;
            remaining.removeAll(selections);
            FetchGroup group = fetchGroups.rootGroup(best);
            Field part = field.transform(b -> b.selectionSet(SelectionSet.newSelectionSet(selections).build()));
            addField(new Site(group, group.selection, List.of(), null, new LinkedHashSet<>()), part, meta);
        }
        return true;
    }

    /** The selections of {@code field} that {@code graph} resolves with everything below them. */
    List<Selection> localPart(String graph, TypeMeta type, FieldMeta meta, Field field, List<Selection> selections) {
        SelectionSet provided = PlanningSupport.childProvided(graph, meta, field, null);
        List<Selection> part = new ArrayList<>();
        for (Selection<?> selection : selections) {
            if (reach.valueSelectionLocal(graph, type, SelectionSet.newSelectionSet(List.of(selection)).build(), provided, 0)) {
                part.add(selection);
            }
        }
        return part;
    }

    /**
     * Plans {@code selections} on object type {@code typeName} into {@code target} of {@code group}, adding every
     * group that supplies some of the fields to {@code providers}.
     */
    void planObject(Site site, String typeName, List<Selection> selections) {
        TypeMeta type = supergraph.type(typeName);
        ctx.ancestors.push(new Ancestor(typeName, site));
        try {
            planSelections(site, typeName, type, selections);
        } finally {
            ctx.ancestors.pop();
        }
    }

    void planSelections(Site site, String typeName, TypeMeta type, List<Selection> selections) {
        for (Selection<?> selection : selections) {
            switch (selection) {
                case Field field -> planField(site, type, field);
                case InlineFragment inline -> {
                    String condition = inline.getTypeCondition() == null ? typeName : inline.getTypeCondition().getName();
                    planFragment(site, typeName, condition, inline.getDirectives(), inline.getSelectionSet());
                }
                case FragmentSpread spread -> {
                    FragmentDefinition definition = ctx.fragment(spread);
                    planFragment(site, typeName, definition.getTypeCondition().getName(), spread.getDirectives(),
                            definition.getSelectionSet());
                }
                default -> { }
            }
        }
    }

    void planFragment(Site site, String typeName, String condition, List<Directive> directives,
                      SelectionSet set) {
        if (!supergraph.isSubtype(typeName, condition)) {
            return;
        }
        int pushed = ctx.pushConditions(directives);
        if (pushed < 0) {
            return;
        }
        try {
            List<Directive> kept = PlanningSupport.conditionalDirectives(directives);
            SelNode into = kept.isEmpty() ? site.target() : site.target().fragment(typeName, PlanningSupport.printDirectives(kept, site.group()));
            planObject(site.into(into), typeName, set.getSelections());
        } finally {
            ctx.popConditions(pushed);
        }
    }

    void planField(Site site, TypeMeta type, Field field) {
        int pushed = ctx.pushConditions(field.getDirectives());
        if (pushed < 0) {
            return;
        }
        try {
            planIncludedField(site, type, field);
        } finally {
            ctx.popConditions(pushed);
        }
    }

    void planIncludedField(Site site, TypeMeta type, Field field) {
        FetchGroup group = site.group();
        if (field.getName().equals("__typename")) {
            site.target().leaf(ctx.alias(field), "__typename", "", PlanningSupport.printDirectives(PlanningSupport.conditionalDirectives(field.getDirectives()), group));
            site.providers().add(group);
            return;
        }
        if (field.getName().startsWith("__")) {
            return;
        }
        FieldMeta meta = type.field(field.getName());
        if (meta == null) {
            throw new PlanningException("unknown field " + type.name() + "." + field.getName());
        }
        if (reach.isLocal(group.graph, meta, field.getName(), site.provided())
                && !(ctx.keyDepth > 0 && reach.notOwnedKeyField(group.graph, type, meta, site.provided()))
                && !reach.hasContextArguments(meta, group.graph)
                && reach.subtreeReachable(group.graph, meta, field, PlanningSupport.childProvided(group.graph, meta, field, site.provided()))) {
            addField(site, field, meta);
        } else {
            jumps.jump(site, type.name(), field, meta);
        }
    }

    /** Adds a field the group's subgraph resolves, then plans its sub-selection (if any) in the same group. */
    void addField(Site site, Field field, FieldMeta meta) {
        FetchGroup group = site.group();
        site.providers().add(group);
        String arguments = PlanningSupport.printArguments(field.getArguments(), group);
        if (ctx.pendingContextArguments != null) {
            StringBuilder all = new StringBuilder(arguments.isEmpty() ? "(" : arguments.substring(0, arguments.length() - 1) + ", ");
            String separator = "";
            for (Map.Entry<String, String> entry : ctx.pendingContextArguments.entrySet()) {
                all.append(separator).append(entry.getKey()).append(": $").append(entry.getValue());
                separator = ", ";
            }
            arguments = all.append(')').toString();
            ctx.pendingContextArguments = null;
        }
        String directives = PlanningSupport.printDirectives(PlanningSupport.conditionalDirectives(field.getDirectives()), group);
        TypeMeta fieldType = supergraph.type(namedTypeIn(group.graph, meta));
        if (fieldType == null || !fieldType.kind().isComposite() || field.getSelectionSet() == null) {
            site.target().leaf(ctx.alias(field), field.getName(), arguments, directives);
            return;
        }
        SelNode sub = site.target().composite(ctx.alias(field), field.getName(), arguments, directives);
        Site below = new Site(group, sub, ctx.childPath(site.path(), field, meta),
                PlanningSupport.childProvided(group.graph, meta, field, site.provided()), site.providers());
        ctx.descents.push(new Descent(field, meta, candidateGraphs(group.graph, meta)));
        try {
            planComposite(below, fieldType, field.getSelectionSet().getSelections());
        } finally {
            ctx.descents.pop();
        }
    }

    /**
     * The field's named type as subgraph {@code graph} declares it: where it is narrower than the supergraph's (an
     * object type where the supergraph has a union or interface of it), only fragments that apply to it may be sent.
     */
    String namedTypeIn(String graph, FieldMeta meta) {
        FieldInGraph in = meta.graphs().get(graph);
        return in != null && in.namedTypeInGraph() != null ? in.namedTypeInGraph() : meta.namedType();
    }

    void planComposite(Site site, TypeMeta type, List<Selection> selections) {
        String graph = site.group().graph;
        if (type.kind() == TypeKind.OBJECT) {
            planObject(site, type.name(), selections);
            return;
        }
        if (type.kind() == TypeKind.INTERFACE && type.isInterfaceObjectIn(graph)) {
            planInterfaceObject(site, type, selections);
            return;
        }
        site.target().leaf(null, "__typename", "", "");
        List<String> possible = supergraph.possibleTypesIn(type.name(), graph);
        // With no object type implementing it here, the interface's fields are planned on it all the same: one this
        // subgraph cannot resolve (and no key leads to) fails planning instead of vanishing from the answer.
        if (type.kind() == TypeKind.INTERFACE
                && (possible.isEmpty() || reach.abstractFieldsLocal(graph, type, possible, selections, site.provided()))) {
            planObject(site, type.name(), selections);
            return;
        }
        if (type.kind() == TypeKind.UNION && !ctx.descents.isEmpty() && ctx.descents.peek().candidates() != null) {
            possible = commonMembers(type, possible, ctx.descents.peek().candidates());
        }
        for (String objectType : possible) {
            planObject(site.into(site.target().fragment(objectType, "")), objectType, selections);
        }
    }

    /**
     * The subgraphs that could all resolve {@code meta} at this place: for a {@code @shareable} field of an entity,
     * every subgraph that resolves it and has a key to reach the entity by; below it, through value types, those of
     * them that resolve each field on the way. Null when only the current subgraph could.
     */
    Set<String> candidateGraphs(String graph, FieldMeta meta) {
        Ancestor owner = ctx.ancestors.peek();
        TypeMeta parent = owner == null ? null : supergraph.type(owner.typeName());
        Set<String> result = new LinkedHashSet<>();
        if (parent != null && parent.kind() == TypeKind.OBJECT && reach.isEntity(parent)) {
            for (String candidate : meta.graphs().keySet()) {
                if (meta.resolvableIn(candidate, labels) && reach.anyResolvableKey(parent.name(), candidate) != null) {
                    result.add(candidate);
                }
            }
        } else if (!ctx.descents.isEmpty() && ctx.descents.peek().candidates() != null) {
            for (String candidate : ctx.descents.peek().candidates()) {
                if (meta.resolvableIn(candidate, labels)) {
                    result.add(candidate);
                }
            }
        }
        return result.size() > 1 && result.contains(graph) ? result : null;
    }

    /**
     * Union members every candidate subgraph has: where a shared path could be answered by any of several subgraphs,
     * only fragments on members common to all of them are asked for (what the others lack is never selected).
     */
    List<String> commonMembers(TypeMeta union, List<String> possible, Set<String> candidates) {
        List<String> common = new ArrayList<>(possible);
        for (String candidate : candidates) {
            common.retainAll(supergraph.possibleTypesIn(union.name(), candidate));
        }
        return common;
    }

    /**
     * Values of an interface coming from a subgraph that models it as an object ({@code @interfaceObject}): their
     * {@code __typename} is the interface's name there. Fields that subgraph has stay local; the real type and
     * everything else come from a subgraph where the interface is an entity with a key.
     */
    void planInterfaceObject(Site site, TypeMeta type, List<Selection> selections) {
        String current = site.group().graph;
        site.target().leaf(null, "__typename", "", "");
        List<Selection> remote = new ArrayList<>();
        for (Selection<?> selection : selections) {
            if (selection instanceof Field field && !field.getName().equals("__typename")) {
                FieldMeta meta = type.field(field.getName());
                if (meta != null && reach.isLocal(current, meta, field.getName(), site.provided())) {
                    addField(site, field, meta);
                    continue;
                }
            }
            remote.add(selection);
        }
        if (remote.isEmpty()) {
            return;
        }
        for (Map.Entry<String, TypeInGraph> entry : type.graphs().entrySet()) {
            String graph = entry.getKey();
            if (entry.getValue().interfaceObject() || graph.equals(current)) {
                continue;
            }
            EntityKey key = reach.localKey(current, type.name(), graph, site.provided());
            if (key == null) {
                continue;
            }
            FetchGroup child = jumps.interfaceEntityGroup(site, type.name(), type.name(), key, null);
            planComposite(site.inEntityFetch(child, type.name()), type, remote);
            return;
        }
        throw new PlanningException("cannot resolve the concrete type of interface " + type.name() + " from subgraph "
                + supergraph.subgraph(current).name() + ": no subgraph has it as an entity interface with a key");
    }

    /** Key fields of an interface object: plain fields of the type as the current subgraph sees it. */
    void planObjectOrInterface(Site site, String typeName, List<Selection> selections) {
        TypeMeta type = supergraph.type(typeName);
        for (Selection<?> selection : selections) {
            if (selection instanceof Field field) {
                planField(site, type, field);
            }
        }
    }
}
