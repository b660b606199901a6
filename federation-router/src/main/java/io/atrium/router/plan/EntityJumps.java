package io.atrium.router.plan;

import graphql.language.Field;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.atrium.router.plan.PlanningContext.Ancestor;
import io.atrium.router.plan.PlanningContext.Descent;
import io.atrium.router.supergraph.EntityKey;
import io.atrium.router.supergraph.FieldInGraph;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.TypeKind;
import io.atrium.router.supergraph.TypeMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Key and requires resolution: leaves the current subgraph for a field it cannot resolve, by an entity fetch keyed
 * by a @key the current fetch can supply (through intermediate subgraphs, an interface object or the parent entity
 * if needed), with the @requires and @fromContext values it needs planned first.
 */
final class EntityJumps {
    private static final int MAX_KEY_HOPS = 4;

    private final PlanningContext ctx;
    private final Reachability reach;
    private final FetchGroups fetchGroups;
    private final SelectionPlanner selections;
    private final Supergraph supergraph;
    private final Set<String> labels;

    EntityJumps(PlanningContext ctx, Reachability reach, FetchGroups fetchGroups, SelectionPlanner selections) {
        this.ctx = ctx;
        this.reach = reach;
        this.fetchGroups = fetchGroups;
        this.selections = selections;
        this.supergraph = ctx.supergraph;
        this.labels = ctx.labels;
    }

    void jump(Site site, String typeName, Field field, FieldMeta meta) {
        List<String> candidates = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        for (String graph : meta.graphs().keySet()) {
            if (meta.resolvableIn(graph, labels) && supergraph.type(typeName).definedIn(graph)) {
                boolean whole = reach.subtreeReachable(graph, meta, field, PlanningSupport.childProvided(graph, meta, field, null));
                (whole ? candidates : partial).add(graph);
            }
        }
        if (candidates.isEmpty()) {
            candidates.addAll(partial);
        }
        if (candidates.isEmpty()) {
            if (!jumpViaInterfaceObject(site, typeName, field)) {
                throw new PlanningException("no subgraph can resolve " + typeName + "." + field.getName());
            }
            return;
        }
        candidates.sort((a, b) -> Boolean.compare(fetchGroups.hasGroupAt(b, site.path()), fetchGroups.hasGroupAt(a, site.path())));
        for (String graph : candidates) {
            EntityKey key = reach.localKey(site.group().graph, typeName, graph, site.provided());
            if (key != null) {
                jumpWithKey(site, typeName, field, meta, key);
                return;
            }
        }
        if (jumpViaParentEntity(site, typeName, field, meta)) {
            return;
        }
        if (ctx.keyHops >= MAX_KEY_HOPS) {
            throw new PlanningException("cannot reach " + typeName + "." + field.getName() + " from subgraph "
                    + supergraph.subgraph(site.group().graph).name() + ": no usable @key");
        }
        for (String graph : candidates) {
            EntityKey key = reach.anyResolvableKey(typeName, graph);
            if (key != null) {
                ctx.keyHops++;
                try {
                    jumpWithKey(site, typeName, field, meta, key);
                } finally {
                    ctx.keyHops--;
                }
                return;
            }
        }
        throw new PlanningException("cannot reach " + typeName + "." + field.getName() + ": no subgraph that resolves it"
                + " has a resolvable @key for " + typeName);
    }

    /**
     * A field of a type that no key leads to (e.g. a value type) from here, but that another subgraph resolves below
     * the same field of the enclosing entity: the entity is re-entered there by its key and the field fetched on the
     * way down ({@code parent { field { wanted } }}), merging into the object already in the response.
     */
    boolean jumpViaParentEntity(Site site, String typeName, Field field, FieldMeta meta) {
        Descent descent = ctx.descents.peek();
        Ancestor parent = null;
        for (Ancestor ancestor : ctx.ancestors) {
            if (!ancestor.site().path().equals(site.path())) {
                parent = ancestor;
                break;
            }
        }
        if (descent == null || parent == null || supergraph.type(parent.typeName()).kind() != TypeKind.OBJECT
                || !ctx.childPath(parent.site().path(), descent.field(), descent.meta()).equals(site.path())) {
            return false;
        }
        Site parentSite = parent.site();
        TypeMeta type = supergraph.type(typeName);
        for (String graph : descent.meta().graphs().keySet()) {
            if (graph.equals(site.group().graph) || !descent.meta().resolvableIn(graph, labels) || !type.definedIn(graph)
                    || !reach.isLocal(graph, meta, field.getName(), null)
                    || !reach.subtreeReachable(graph, meta, field, PlanningSupport.childProvided(graph, meta, field, null))) {
                continue;
            }
            EntityKey key = reach.localKey(parentSite.group().graph, parent.typeName(), graph, parentSite.provided());
            if (key == null) {
                continue;
            }
            Field narrowed = descent.field().transform(b -> b.selectionSet(
                    SelectionSet.newSelectionSet(List.<Selection>of(field)).build()));
            jumpWithKey(new Site(parentSite.group(), parentSite.target(), parentSite.path(), parentSite.provided(),
                    site.providers()), parent.typeName(), narrowed, descent.meta(), key);
            return true;
        }
        return false;
    }

    /**
     * A field no subgraph resolves on object type {@code typeName} itself but one resolves on an interface of it
     * modelled there as an {@code @interfaceObject}: fetch it as that interface, representations renamed to it.
     */
    boolean jumpViaInterfaceObject(Site site, String typeName, Field field) {
        for (String interfaceName : supergraph.type(typeName).interfaces()) {
            TypeMeta iface = supergraph.type(interfaceName);
            FieldMeta meta = iface.field(field.getName());
            if (meta == null) {
                continue;
            }
            for (String graph : meta.graphs().keySet()) {
                if (!iface.isInterfaceObjectIn(graph) || !meta.resolvableIn(graph, labels)) {
                    continue;
                }
                EntityKey key = reach.localKey(site.group().graph, interfaceName, graph, site.provided());
                if (key == null) {
                    continue;
                }
                FetchGroup child = interfaceEntityGroup(site, typeName, interfaceName, key,
                        PlanningSupport.requiresSelection(meta.graphs().get(graph)));
                selections.addField(site.inEntityFetch(child, interfaceName), field, meta);
                return true;
            }
        }
        return false;
    }

    /**
     * The entity group that fetches {@code interfaceName} (by key) from {@code graph} for objects at {@code path}.
     * {@code requires} (nullable) is the {@code @requires} selection of the field fetched there: it is planned on the
     * objects being left, like the key, and sent in the representation.
     */
    FetchGroup interfaceEntityGroup(Site site, String parentType, String interfaceName, EntityKey key,
                                    SelectionSet requires) {
        Set<FetchGroup> dependencies = new LinkedHashSet<>();
        site.target().leaf(null, "__typename", "", "");
        ctx.keyDepth++;
        try {
            selections.planObjectOrInterface(site.supplying(dependencies), parentType, key.selection().getSelections());
        } finally {
            ctx.keyDepth--;
        }
        if (requires != null) {
            int savedKeyDepth = ctx.keyDepth;
            ctx.keyDepth = 0;
            try {
                selections.planObjectOrInterface(site.supplying(dependencies), parentType, requires.getSelections());
            } finally {
                ctx.keyDepth = savedKeyDepth;
            }
        }
        dependencies.add(site.group());
        FetchGroup child = fetchGroups.entityGroup(key.graph(), site.path(), dependencies);
        SelNode representation = child.requires.computeIfAbsent(interfaceName, k -> new SelNode());
        representation.leaf(null, "__typename", "", "");
        PlanningSupport.addPlain(representation, key.selection());
        if (requires != null) {
            PlanningSupport.addPlain(representation, requires);
            child.requiresTypes.add(interfaceName);
        }
        child.typenameRewrites.add(interfaceName);
        return child;
    }

    void jumpWithKey(Site site, String typeName, Field field, FieldMeta meta, EntityKey key) {
        Set<FetchGroup> dependencies = new LinkedHashSet<>();
        site.target().leaf(null, "__typename", "", "");
        planKey(site.supplying(dependencies), typeName, key);
        FieldInGraph in = meta.graphs().get(key.graph());
        SelectionSet requires = PlanningSupport.requiresSelection(in);
        int savedKeyDepth = ctx.keyDepth;
        ctx.keyDepth = 0;
        try {
            if (requires != null) {
                selections.planObject(site.supplying(dependencies), typeName, requires.getSelections());
            }
            List<Ancestor> contextSources = new ArrayList<>();
            for (FieldInGraph.ContextArgument argument : in.contextArguments()) {
                Ancestor source = contextSource(argument.context(), typeName, field);
                selections.planObject(source.site().supplying(dependencies), source.typeName(),
                        argument.selection().getSelections());
                contextSources.add(source);
            }
            dependencies.add(site.group());
            FetchGroup child = in.contextArguments().isEmpty()
                    ? fetchGroups.entityGroup(key.graph(), site.path(), dependencies, typeName, requires)
                    : fetchGroups.contextEntityGroup(key.graph(), site.path(), dependencies);
            SelNode representation = child.requires.computeIfAbsent(typeName, k -> new SelNode());
            representation.leaf(null, "__typename", "", "");
            PlanningSupport.addPlain(representation, key.selection());
            if (requires != null) {
                PlanningSupport.addPlain(representation, requires);
                child.requiresTypes.add(typeName);
            }
            if (!contextSources.isEmpty()) {
                Map<String, String> variables = new LinkedHashMap<>();
                for (int i = 0; i < contextSources.size(); i++) {
                    FieldInGraph.ContextArgument argument = in.contextArguments().get(i);
                    String variable = "contextualArgument_" + child.id + "_" + child.contextVariables.size();
                    child.contextVariables.add(new PlanNode.ContextVariable(variable, contextSources.get(i).site().path(),
                            argument.selection()));
                    child.contextVariableTypes.put(variable, argument.type());
                    variables.put(argument.name(), variable);
                }
                ctx.pendingContextArguments = variables;
            }
            selections.addField(site.inEntityFetch(child, typeName), field, meta);
        } finally {
            ctx.keyDepth = savedKeyDepth;
        }
    }

    /**
     * Key fields are planned like client fields, except that a subgraph always returns the key fields it knows,
     * even when it declares them {@code @external} (an entity reference carries its key); {@link Reachability#localKey} only
     * picks keys the subgraph really has.
     */
    void planKey(Site site, String typeName, EntityKey key) {
        ctx.keyDepth++;
        try {
            selections.planObject(site, typeName, key.selection().getSelections());
        } finally {
            ctx.keyDepth--;
        }
    }

    /** The nearest object being planned whose type sets context {@code context} ({@code @context(name:)}). */
    Ancestor contextSource(String context, String typeName, Field field) {
        for (Ancestor ancestor : ctx.ancestors) {
            if (reach.setsContext(ancestor.typeName(), context)) {
                return ancestor;
            }
        }
        throw new PlanningException("field " + typeName + "." + field.getName() + " takes an argument from context '"
                + context + "', but no enclosing selection is of a type that sets it");
    }
}
