package io.atrium.router.plan;

import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import io.atrium.router.supergraph.EntityKey;
import io.atrium.router.supergraph.FieldInGraph;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.TypeInGraph;
import io.atrium.router.supergraph.TypeKind;
import io.atrium.router.supergraph.TypeMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans a client operation over a supergraph: a pure function of (supergraph, document, operation name,
 * enabled override labels). Fields stay in the subgraph already being fetched whenever it can resolve them;
 * everything else becomes an entity fetch per (subgraph, response path), ordered after the fetches that
 * provide its keys and {@code @requires} fields.
 */
public final class QueryPlanner {
    private static final int MAX_KEY_HOPS = 4;

    private final Supergraph supergraph;
    private final Set<String> labels;
    private final Map<String, FragmentDefinition> fragments = new HashMap<>();
    private final Map<String, VariableDefinition> variableDefinitions = new LinkedHashMap<>();
    private final List<FetchGroup> groups = new ArrayList<>();
    private final List<FetchGroup> roots = new ArrayList<>();
    private int keyHops;
    /** Above zero while key fields are being planned. */
    private int keyDepth;
    /** Variable conditions ({@code @skip}/{@code @include}) around the selection being planned. */
    private final java.util.Deque<ResponseShape.Condition> conditions = new java.util.ArrayDeque<>();
    /** The objects being planned, innermost first: where {@code @fromContext} values are looked up. */
    private final java.util.Deque<Ancestor> ancestors = new java.util.ArrayDeque<>();
    /** Context argument → variable for the field {@link #addField} adds next (a field with {@code @fromContext}). */
    private Map<String, String> pendingContextArguments;

    private record Ancestor(String typeName, Site site) {
    }

    /** The fields whose sub-selections are being planned, innermost first: how each object was reached. */
    private final java.util.Deque<Descent> descents = new java.util.ArrayDeque<>();

    /**
     * @param candidates the subgraphs that could all answer this field here (a {@code @shareable} field of an entity
     *                   every one of them can be reached on by key, and value-type fields below it), or null
     */
    private record Descent(Field field, FieldMeta meta, Set<String> candidates) {
    }

    private QueryPlanner(Supergraph supergraph, Set<String> labels) {
        this.supergraph = supergraph;
        this.labels = labels;
    }

    /** Plans {@code operationName} (or the only operation) of an already validated document. */
    public static QueryPlan plan(Supergraph supergraph, Document document, String operationName, Set<String> labels) {
        return new QueryPlanner(supergraph, Set.copyOf(labels)).run(document, operationName);
    }

    /**
     * Where a selection is planned: into {@code target} of {@code group}, at response {@code path}, with the fields a
     * {@code @provides} makes available there; every group that supplies a planned field joins {@code providers}.
     */
    private record Site(FetchGroup group, SelNode target, List<String> path, SelectionSet provided,
                        Set<FetchGroup> providers) {
        Site into(SelNode node) {
            return new Site(group, node, path, provided, providers);
        }

        /** The same place, recording suppliers in {@code others} (dependencies of a fetch being created). */
        Site supplying(Set<FetchGroup> others) {
            return new Site(group, target, path, provided, others);
        }

        /** The {@code ... on type} selection of entity fetch {@code child} for objects at this path. */
        Site inEntityFetch(FetchGroup child, String type) {
            return new Site(child, child.selection.fragment(type, ""), path, null, providers);
        }
    }

    /** Selects the operation a request runs, or throws {@link PlanningException}. */
    public static OperationDefinition selectOperation(Document document, String operationName) {
        OperationDefinition found = null;
        int count = 0;
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof OperationDefinition op) {
                count++;
                if (operationName == null || operationName.equals(op.getName())) {
                    found = op;
                }
            }
        }
        if (operationName == null && count > 1) {
            throw new PlanningException("the document has several operations; name one with operationName");
        }
        if (found == null) {
            throw new PlanningException(operationName == null ? "the document has no operation"
                    : "unknown operation named '" + operationName + "'");
        }
        return found;
    }

    private QueryPlan run(Document document, String operationName) {
        OperationDefinition operation = selectOperation(document, operationName);
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof FragmentDefinition fragment) {
                fragments.put(fragment.getName(), fragment);
            }
        }
        for (VariableDefinition variable : operation.getVariableDefinitions()) {
            variableDefinitions.put(variable.getName(), variable);
        }
        String rootType = switch (operation.getOperation()) {
            case QUERY -> supergraph.queryType();
            case MUTATION -> supergraph.mutationType();
            case SUBSCRIPTION -> throw new PlanningException("subscriptions are not supported by this router yet");
        };
        if (rootType == null) {
            throw new PlanningException("the schema has no " + operation.getOperation().name().toLowerCase() + " type");
        }
        boolean mutation = operation.getOperation() == OperationDefinition.Operation.MUTATION;
        planRoot(rootType, collectRootFields(rootType, operation.getSelectionSet()), mutation);
        ResponseShape shape = new ShapeBuilder(supergraph, fragments).build(rootType, operation.getSelectionSet());
        String kind = mutation ? "mutation" : "query";
        PlanAssembler assembler = new PlanAssembler(supergraph, variableDefinitions, roots);
        List<PlanNode> rootNodes = new ArrayList<>();
        for (FetchGroup root : roots) {
            rootNodes.add(assembler.node(root, operation.getName(), kind));
        }
        PlanNode rootNode;
        // A fetch that waits for groups in other branches of the dependency tree (e.g. @requires fields from two
        // unrelated fetches) cannot run as a tree: run the plan level by level, which orders it after all of them.
        boolean dag = assembler.hasCrossBranchDependencies(groups);
        PlanNode batched = mutation ? (dag ? assembler.levelsPerRoot(operation.getName()) : null)
                : assembler.batchedByLevel(operation.getName(), dag);
        if (batched != null) {
            rootNode = batched;
        } else if (rootNodes.isEmpty()) {
            rootNode = null;
        } else if (rootNodes.size() == 1) {
            rootNode = rootNodes.getFirst();
        } else {
            rootNode = mutation ? new PlanNode.Sequence(rootNodes) : new PlanNode.Parallel(rootNodes);
        }
        return new QueryPlan(rootNode, shape);
    }

    /** Root fields with the fragments around them flattened (directives of fragments kept on the fields). */
    private List<Field> collectRootFields(String rootType, SelectionSet set) {
        List<Field> fields = new ArrayList<>();
        collectRootFields(rootType, set, List.of(), fields);
        return fields;
    }

    private void collectRootFields(String rootType, SelectionSet set, List<Directive> inherited, List<Field> out) {
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    if (inherited.isEmpty()) {
                        out.add(field);
                    } else {
                        List<Directive> directives = new ArrayList<>(inherited);
                        directives.addAll(field.getDirectives());
                        out.add(field.transform(b -> b.directives(directives)));
                    }
                }
                case InlineFragment inline -> collectRootFields(rootType, inline.getSelectionSet(),
                        concat(inherited, inline.getDirectives()), out);
                case FragmentSpread spread -> collectRootFields(rootType, fragment(spread).getSelectionSet(),
                        concat(inherited, spread.getDirectives()), out);
                default -> { }
            }
        }
    }

    private static List<Directive> concat(List<Directive> a, List<Directive> b) {
        List<Directive> result = new ArrayList<>(a);
        result.addAll(b);
        return result;
    }

    private void planRoot(String rootType, List<Field> fields, boolean mutation) {
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
            int pushed = pushConditions(field.getDirectives());
            if (pushed < 0) {
                continue;
            }
            try {
                if (!mutation && planSplitRootField(field, meta)) {
                    continue;
                }
                FetchGroup group = mutation ? rootGroupForMutation(meta, last) : rootGroupForQuery(meta, field);
                last = group;
                addField(new Site(group, group.selection, List.of(), null, new LinkedHashSet<>()), field, meta);
            } finally {
                popConditions(pushed);
            }
        }
    }

    /**
     * A root field of a value type (no key to come back with) whose selection no single subgraph resolves: every
     * subgraph that resolves the field ({@code @shareable}) fetches the part of the selection it can, largest part
     * first, and the answers merge into one value. Returns false when one subgraph can take the whole field.
     */
    private boolean planSplitRootField(Field field, FieldMeta meta) {
        TypeMeta type = supergraph.type(meta.namedType());
        if (type == null || !type.kind().isComposite() || field.getSelectionSet() == null || isEntity(type)) {
            return false;
        }
        List<String> graphs = new ArrayList<>();
        for (String graph : meta.graphs().keySet()) {
            if (meta.resolvableIn(graph, labels)) {
                if (subtreeReachable(graph, meta, field, PlanningSupport.childProvided(graph, meta, field, null))) {
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
            FetchGroup group = rootGroup(best);
            Field part = field.transform(b -> b.selectionSet(SelectionSet.newSelectionSet(selections).build()));
            addField(new Site(group, group.selection, List.of(), null, new LinkedHashSet<>()), part, meta);
        }
        return true;
    }

    /** The selections of {@code field} that {@code graph} resolves with everything below them. */
    private List<Selection> localPart(String graph, TypeMeta type, FieldMeta meta, Field field, List<Selection> selections) {
        SelectionSet provided = PlanningSupport.childProvided(graph, meta, field, null);
        List<Selection> part = new ArrayList<>();
        for (Selection<?> selection : selections) {
            if (valueSelectionLocal(graph, type, SelectionSet.newSelectionSet(List.of(selection)).build(), provided, 0)) {
                part.add(selection);
            }
        }
        return part;
    }

    /** The root fetch to {@code graph}, created on first use. */
    private FetchGroup rootGroup(String graph) {
        for (FetchGroup root : roots) {
            if (root.graph.equals(graph)) {
                return root;
            }
        }
        FetchGroup group = newGroup(graph, List.of(), false);
        roots.add(group);
        return group;
    }

    private FetchGroup rootGroupForMutation(FieldMeta meta, FetchGroup last) {
        if (last != null && meta.resolvableIn(last.graph, labels)) {
            return last;
        }
        FetchGroup group = newGroup(firstResolvingGraph(meta), List.of(), false);
        roots.add(group);
        return group;
    }

    private FetchGroup rootGroupForQuery(FieldMeta meta, Field field) {
        for (FetchGroup root : roots) {
            if (meta.resolvableIn(root.graph, labels)
                    && subtreeReachable(root.graph, meta, field, PlanningSupport.childProvided(root.graph, meta, field, null))) {
                return root;
            }
        }
        String best = null;
        int bestScore = -2;
        for (String graph : meta.graphs().keySet()) {
            if (!meta.resolvableIn(graph, labels)) {
                continue;
            }
            int score = localScore(graph, meta.namedType(), field.getSelectionSet(),
                    PlanningSupport.childProvided(graph, meta, field, null), 0);
            if (!subtreeReachable(graph, meta, field, PlanningSupport.childProvided(graph, meta, field, null))) {
                score = -1;
            }
            if (score > bestScore) {
                best = graph;
                bestScore = score;
            }
        }
        if (best == null) {
            throw new PlanningException("no subgraph can resolve root field " + meta.name());
        }
        FetchGroup group = newGroup(best, List.of(), false);
        roots.add(group);
        return group;
    }

    /**
     * How many selected fields a subgraph resolves itself, nested ones and those in fragments included, counting
     * what the root field's {@code @provides} gives it: a cheap proxy for fewer jumps, so that a shareable root
     * field goes to the subgraph that provides the selection rather than to one that only has the key.
     */
    private int localScore(String graph, String typeName, SelectionSet set, SelectionSet provided, int depth) {
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
                    FragmentDefinition definition = fragment(spread);
                    score += localScore(graph, definition.getTypeCondition().getName(), definition.getSelectionSet(),
                            provided, depth + 1);
                }
                default -> { }
            }
        }
        return score;
    }

    private String firstResolvingGraph(FieldMeta meta) {
        for (String graph : meta.graphs().keySet()) {
            if (meta.resolvableIn(graph, labels)) {
                return graph;
            }
        }
        throw new PlanningException("no subgraph can resolve field " + meta.name());
    }

    private FetchGroup newGroup(String graph, List<String> path, boolean entity) {
        FetchGroup group = new FetchGroup(groups.size(), graph, path, entity);
        groups.add(group);
        return group;
    }

    // ---- selections on an object type -------------------------------------------------------------

    /**
     * Plans {@code selections} on object type {@code typeName} into {@code target} of {@code group}, adding every
     * group that supplies some of the fields to {@code providers}.
     */
    private void planObject(Site site, String typeName, List<Selection> selections) {
        TypeMeta type = supergraph.type(typeName);
        ancestors.push(new Ancestor(typeName, site));
        try {
            planSelections(site, typeName, type, selections);
        } finally {
            ancestors.pop();
        }
    }

    private void planSelections(Site site, String typeName, TypeMeta type, List<Selection> selections) {
        for (Selection<?> selection : selections) {
            switch (selection) {
                case Field field -> planField(site, type, field);
                case InlineFragment inline -> {
                    String condition = inline.getTypeCondition() == null ? typeName : inline.getTypeCondition().getName();
                    planFragment(site, typeName, condition, inline.getDirectives(), inline.getSelectionSet());
                }
                case FragmentSpread spread -> {
                    FragmentDefinition definition = fragment(spread);
                    planFragment(site, typeName, definition.getTypeCondition().getName(), spread.getDirectives(),
                            definition.getSelectionSet());
                }
                default -> { }
            }
        }
    }

    private void planFragment(Site site, String typeName, String condition, List<Directive> directives,
                              SelectionSet set) {
        if (!supergraph.isSubtype(typeName, condition)) {
            return;
        }
        int pushed = pushConditions(directives);
        if (pushed < 0) {
            return;
        }
        try {
            List<Directive> kept = PlanningSupport.conditionalDirectives(directives);
            SelNode into = kept.isEmpty() ? site.target() : site.target().fragment(typeName, PlanningSupport.printDirectives(kept, site.group()));
            planObject(site.into(into), typeName, set.getSelections());
        } finally {
            popConditions(pushed);
        }
    }

    /**
     * Pushes the variable {@code @skip}/{@code @include} conditions of a selection; entity fetches created below
     * run only when they hold. Returns the number pushed, or -1 when a literal condition excludes the selection.
     */
    private int pushConditions(List<Directive> directives) {
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

    private void popConditions(int count) {
        for (int i = 0; i < count; i++) {
            conditions.pop();
        }
    }

    private void planField(Site site, TypeMeta type, Field field) {
        int pushed = pushConditions(field.getDirectives());
        if (pushed < 0) {
            return;
        }
        try {
            planIncludedField(site, type, field);
        } finally {
            popConditions(pushed);
        }
    }

    private void planIncludedField(Site site, TypeMeta type, Field field) {
        FetchGroup group = site.group();
        if (field.getName().equals("__typename")) {
            site.target().leaf(alias(field), "__typename", "", PlanningSupport.printDirectives(PlanningSupport.conditionalDirectives(field.getDirectives()), group));
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
        if (isLocal(group.graph, meta, field.getName(), site.provided())
                && !(keyDepth > 0 && notOwnedKeyField(group.graph, type, meta, site.provided()))
                && !hasContextArguments(meta, group.graph)
                && subtreeReachable(group.graph, meta, field, PlanningSupport.childProvided(group.graph, meta, field, site.provided()))) {
            addField(site, field, meta);
        } else {
            jump(site, type.name(), field, meta);
        }
    }

    /**
     * A key field {@code graph} marks {@code @external} on a type it defines (not extends) and no {@code @provides}
     * gives: it is owned elsewhere, so the subgraph does not return it (see {@link #canSupply}).
     */
    private static boolean notOwnedKeyField(String graph, TypeMeta type, FieldMeta meta, SelectionSet provided) {
        FieldInGraph in = meta.graphs().get(graph);
        TypeInGraph typeIn = type.graphs().get(graph);
        return in != null && in.external() && typeIn != null && !typeIn.extension()
                && PlanningSupport.providedField(provided, meta.name()) == null;
    }

    /** A field with {@code @fromContext} arguments in {@code graph} is always fetched with an entity fetch there. */
    private static boolean hasContextArguments(FieldMeta meta, String graph) {
        FieldInGraph in = meta.graphs().get(graph);
        return in != null && !in.contextArguments().isEmpty();
    }

    private boolean isLocal(String graph, FieldMeta meta, String name, SelectionSet provided) {
        FieldInGraph in = meta.graphs().get(graph);
        if (in == null) {
            return false;
        }
        if (keyDepth > 0 && in.requires() == null) {
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
    private boolean subtreeReachable(String graph, FieldMeta meta, Field field, SelectionSet provided) {
        TypeMeta type = supergraph.type(meta.namedType());
        if (type == null || !type.kind().isComposite() || field.getSelectionSet() == null || isEntity(type)) {
            return true;
        }
        return valueSelectionLocal(graph, type, field.getSelectionSet(), provided, 0);
    }

    private boolean isEntity(TypeMeta type) {
        for (TypeInGraph in : type.graphs().values()) {
            if (in.hasResolvableKey()) {
                return true;
            }
        }
        return false;
    }

    private boolean valueSelectionLocal(String graph, TypeMeta type, SelectionSet set, SelectionSet provided, int depth) {
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
                    FragmentDefinition definition = fragment(spread);
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
    private static boolean neverReturnedBy(String graph, TypeMeta condition) {
        return condition.kind() == TypeKind.OBJECT && !condition.definedIn(graph);
    }

    /**
     * True when the fields selected on entity type {@code type} are all resolved by {@code graph}, or when
     * {@code graph} can supply a key of another subgraph's to fetch them there (it may have none: an
     * {@code @external} key field is not returned by the subgraph that declares it so).
     */
    private boolean entityLeavable(String graph, TypeMeta type, SelectionSet set, SelectionSet provided) {
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
    private boolean hasKeyToLeave(String graph, TypeMeta type, SelectionSet provided) {
        for (String other : type.graphs().keySet()) {
            if (!other.equals(graph) && localKey(graph, type.name(), other, provided) != null) {
                return true;
            }
        }
        return false;
    }

    /** Adds a field the group's subgraph resolves, then plans its sub-selection (if any) in the same group. */
    private void addField(Site site, Field field, FieldMeta meta) {
        FetchGroup group = site.group();
        site.providers().add(group);
        String arguments = PlanningSupport.printArguments(field.getArguments(), group);
        if (pendingContextArguments != null) {
            StringBuilder all = new StringBuilder(arguments.isEmpty() ? "(" : arguments.substring(0, arguments.length() - 1) + ", ");
            String separator = "";
            for (Map.Entry<String, String> entry : pendingContextArguments.entrySet()) {
                all.append(separator).append(entry.getKey()).append(": $").append(entry.getValue());
                separator = ", ";
            }
            arguments = all.append(')').toString();
            pendingContextArguments = null;
        }
        String directives = PlanningSupport.printDirectives(PlanningSupport.conditionalDirectives(field.getDirectives()), group);
        TypeMeta fieldType = supergraph.type(namedTypeIn(group.graph, meta));
        if (fieldType == null || !fieldType.kind().isComposite() || field.getSelectionSet() == null) {
            site.target().leaf(alias(field), field.getName(), arguments, directives);
            return;
        }
        SelNode sub = site.target().composite(alias(field), field.getName(), arguments, directives);
        Site below = new Site(group, sub, childPath(site.path(), field, meta),
                PlanningSupport.childProvided(group.graph, meta, field, site.provided()), site.providers());
        descents.push(new Descent(field, meta, candidateGraphs(group.graph, meta)));
        try {
            planComposite(below, fieldType, field.getSelectionSet().getSelections());
        } finally {
            descents.pop();
        }
    }

    /**
     * The field's named type as subgraph {@code graph} declares it: where it is narrower than the supergraph's (an
     * object type where the supergraph has a union or interface of it), only fragments that apply to it may be sent.
     */
    private String namedTypeIn(String graph, FieldMeta meta) {
        FieldInGraph in = meta.graphs().get(graph);
        return in != null && in.namedTypeInGraph() != null ? in.namedTypeInGraph() : meta.namedType();
    }

    private void planComposite(Site site, TypeMeta type, List<Selection> selections) {
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
                && (possible.isEmpty() || abstractFieldsLocal(graph, type, possible, selections, site.provided()))) {
            planObject(site, type.name(), selections);
            return;
        }
        if (type.kind() == TypeKind.UNION && !descents.isEmpty() && descents.peek().candidates() != null) {
            possible = commonMembers(type, possible, descents.peek().candidates());
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
    private Set<String> candidateGraphs(String graph, FieldMeta meta) {
        Ancestor owner = ancestors.peek();
        TypeMeta parent = owner == null ? null : supergraph.type(owner.typeName());
        Set<String> result = new LinkedHashSet<>();
        if (parent != null && parent.kind() == TypeKind.OBJECT && isEntity(parent)) {
            for (String candidate : meta.graphs().keySet()) {
                if (meta.resolvableIn(candidate, labels) && anyResolvableKey(parent.name(), candidate) != null) {
                    result.add(candidate);
                }
            }
        } else if (!descents.isEmpty() && descents.peek().candidates() != null) {
            for (String candidate : descents.peek().candidates()) {
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
    private List<String> commonMembers(TypeMeta union, List<String> possible, Set<String> candidates) {
        List<String> common = new ArrayList<>(possible);
        for (String candidate : candidates) {
            common.retainAll(supergraph.possibleTypesIn(union.name(), candidate));
        }
        return common;
    }

    /** True when every selection is a field the subgraph resolves on the interface and on each implementation. */
    private boolean abstractFieldsLocal(String graph, TypeMeta type, List<String> possible, List<Selection> selections,
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

    // ---- entity jumps --------------------------------------------------------------------------------

    private void jump(Site site, String typeName, Field field, FieldMeta meta) {
        List<String> candidates = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        for (String graph : meta.graphs().keySet()) {
            if (meta.resolvableIn(graph, labels) && supergraph.type(typeName).definedIn(graph)) {
                boolean whole = subtreeReachable(graph, meta, field, PlanningSupport.childProvided(graph, meta, field, null));
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
        candidates.sort((a, b) -> Boolean.compare(hasGroupAt(b, site.path()), hasGroupAt(a, site.path())));
        for (String graph : candidates) {
            EntityKey key = localKey(site.group().graph, typeName, graph, site.provided());
            if (key != null) {
                jumpWithKey(site, typeName, field, meta, key);
                return;
            }
        }
        if (jumpViaParentEntity(site, typeName, field, meta)) {
            return;
        }
        if (keyHops >= MAX_KEY_HOPS) {
            throw new PlanningException("cannot reach " + typeName + "." + field.getName() + " from subgraph "
                    + supergraph.subgraph(site.group().graph).name() + ": no usable @key");
        }
        for (String graph : candidates) {
            EntityKey key = anyResolvableKey(typeName, graph);
            if (key != null) {
                keyHops++;
                try {
                    jumpWithKey(site, typeName, field, meta, key);
                } finally {
                    keyHops--;
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
    private boolean jumpViaParentEntity(Site site, String typeName, Field field, FieldMeta meta) {
        Descent descent = descents.peek();
        Ancestor parent = null;
        for (Ancestor ancestor : ancestors) {
            if (!ancestor.site().path().equals(site.path())) {
                parent = ancestor;
                break;
            }
        }
        if (descent == null || parent == null || supergraph.type(parent.typeName()).kind() != TypeKind.OBJECT
                || !childPath(parent.site().path(), descent.field(), descent.meta()).equals(site.path())) {
            return false;
        }
        Site parentSite = parent.site();
        TypeMeta type = supergraph.type(typeName);
        for (String graph : descent.meta().graphs().keySet()) {
            if (graph.equals(site.group().graph) || !descent.meta().resolvableIn(graph, labels) || !type.definedIn(graph)
                    || !isLocal(graph, meta, field.getName(), null)
                    || !subtreeReachable(graph, meta, field, PlanningSupport.childProvided(graph, meta, field, null))) {
                continue;
            }
            EntityKey key = localKey(parentSite.group().graph, parent.typeName(), graph, parentSite.provided());
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
    private boolean jumpViaInterfaceObject(Site site, String typeName, Field field) {
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
                EntityKey key = localKey(site.group().graph, interfaceName, graph, site.provided());
                if (key == null) {
                    continue;
                }
                FetchGroup child = interfaceEntityGroup(site, typeName, interfaceName, key,
                        PlanningSupport.requiresSelection(meta.graphs().get(graph)));
                addField(site.inEntityFetch(child, interfaceName), field, meta);
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
    private FetchGroup interfaceEntityGroup(Site site, String parentType, String interfaceName, EntityKey key,
                                            SelectionSet requires) {
        Set<FetchGroup> dependencies = new LinkedHashSet<>();
        site.target().leaf(null, "__typename", "", "");
        keyDepth++;
        try {
            planObjectOrInterface(site.supplying(dependencies), parentType, key.selection().getSelections());
        } finally {
            keyDepth--;
        }
        if (requires != null) {
            int savedKeyDepth = keyDepth;
            keyDepth = 0;
            try {
                planObjectOrInterface(site.supplying(dependencies), parentType, requires.getSelections());
            } finally {
                keyDepth = savedKeyDepth;
            }
        }
        dependencies.add(site.group());
        FetchGroup child = entityGroup(key.graph(), site.path(), dependencies);
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

    /** Key fields of an interface object: plain fields of the type as the current subgraph sees it. */
    private void planObjectOrInterface(Site site, String typeName, List<Selection> selections) {
        TypeMeta type = supergraph.type(typeName);
        for (Selection<?> selection : selections) {
            if (selection instanceof Field field) {
                planField(site, type, field);
            }
        }
    }

    /**
     * Values of an interface coming from a subgraph that models it as an object ({@code @interfaceObject}): their
     * {@code __typename} is the interface's name there. Fields that subgraph has stay local; the real type and
     * everything else come from a subgraph where the interface is an entity with a key.
     */
    private void planInterfaceObject(Site site, TypeMeta type, List<Selection> selections) {
        String current = site.group().graph;
        site.target().leaf(null, "__typename", "", "");
        List<Selection> remote = new ArrayList<>();
        for (Selection<?> selection : selections) {
            if (selection instanceof Field field && !field.getName().equals("__typename")) {
                FieldMeta meta = type.field(field.getName());
                if (meta != null && isLocal(current, meta, field.getName(), site.provided())) {
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
            EntityKey key = localKey(current, type.name(), graph, site.provided());
            if (key == null) {
                continue;
            }
            FetchGroup child = interfaceEntityGroup(site, type.name(), type.name(), key, null);
            planComposite(site.inEntityFetch(child, type.name()), type, remote);
            return;
        }
        throw new PlanningException("cannot resolve the concrete type of interface " + type.name() + " from subgraph "
                + supergraph.subgraph(current).name() + ": no subgraph has it as an entity interface with a key");
    }

    private boolean hasGroupAt(String graph, List<String> path) {
        for (FetchGroup group : groups) {
            if (group.entity && group.graph.equals(graph) && group.path.equals(path)) {
                return true;
            }
        }
        return false;
    }

    private void jumpWithKey(Site site, String typeName, Field field, FieldMeta meta, EntityKey key) {
        Set<FetchGroup> dependencies = new LinkedHashSet<>();
        site.target().leaf(null, "__typename", "", "");
        planKey(site.supplying(dependencies), typeName, key);
        FieldInGraph in = meta.graphs().get(key.graph());
        SelectionSet requires = PlanningSupport.requiresSelection(in);
        int savedKeyDepth = keyDepth;
        keyDepth = 0;
        try {
            if (requires != null) {
                planObject(site.supplying(dependencies), typeName, requires.getSelections());
            }
            List<Ancestor> contextSources = new ArrayList<>();
            for (FieldInGraph.ContextArgument argument : in.contextArguments()) {
                Ancestor source = contextSource(argument.context(), typeName, field);
                planObject(source.site().supplying(dependencies), source.typeName(),
                        argument.selection().getSelections());
                contextSources.add(source);
            }
            dependencies.add(site.group());
            FetchGroup child = in.contextArguments().isEmpty()
                    ? entityGroup(key.graph(), site.path(), dependencies, typeName, requires)
                    : contextEntityGroup(key.graph(), site.path(), dependencies);
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
                pendingContextArguments = variables;
            }
            addField(site.inEntityFetch(child, typeName), field, meta);
        } finally {
            keyDepth = savedKeyDepth;
        }
    }

    /**
     * Key fields are planned like client fields, except that a subgraph always returns the key fields it knows,
     * even when it declares them {@code @external} (an entity reference carries its key); {@link #localKey} only
     * picks keys the subgraph really has.
     */
    private void planKey(Site site, String typeName, EntityKey key) {
        keyDepth++;
        try {
            planObject(site, typeName, key.selection().getSelections());
        } finally {
            keyDepth--;
        }
    }

    /** A resolvable key of {@code typeName} in {@code toGraph} whose fields {@code fromGraph} can supply. */
    private EntityKey localKey(String fromGraph, String typeName, String toGraph, SelectionSet provided) {
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

    private EntityKey anyResolvableKey(String typeName, String graph) {
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
    private boolean canSupply(String graph, String typeName, SelectionSet set, SelectionSet provided) {
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

    /** The nearest object being planned whose type sets context {@code context} ({@code @context(name:)}). */
    private Ancestor contextSource(String context, String typeName, Field field) {
        for (Ancestor ancestor : ancestors) {
            if (setsContext(ancestor.typeName(), context)) {
                return ancestor;
            }
        }
        throw new PlanningException("field " + typeName + "." + field.getName() + " takes an argument from context '"
                + context + "', but no enclosing selection is of a type that sets it");
    }

    private boolean setsContext(String typeName, String context) {
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

    /** A fetch of its own for a field with {@code @fromContext} arguments (its requests are split per value). */
    private FetchGroup contextEntityGroup(String graph, List<String> path, Set<FetchGroup> dependencies) {
        FetchGroup latest = PlanningSupport.latest(dependencies);
        FetchGroup group = newGroup(graph, path, true);
        group.parent = latest;
        latest.children.add(group);
        group.constrain(conditions);
        group.dependencies.addAll(dependencies);
        return group;
    }

    /** The entity group for (graph, path) that runs after all {@code dependencies}: reused when possible. */
    private FetchGroup entityGroup(String graph, List<String> path, Set<FetchGroup> dependencies) {
        return entityGroup(graph, path, dependencies, null, null);
    }

    /**
     * As {@link #entityGroup(String, List, Set)}, for a field whose representation of {@code typeName} also carries
     * {@code requires} (nullable): a group whose representation reads one of those fields with other arguments
     * cannot be reused (a representation holds each field once), so such fields get a request of their own.
     */
    private FetchGroup entityGroup(String graph, List<String> path, Set<FetchGroup> dependencies, String typeName,
                                   SelectionSet requires) {
        FetchGroup latest = PlanningSupport.latest(dependencies);
        SelNode representation = null;
        if (requires != null) {
            representation = new SelNode();
            PlanningSupport.addPlain(representation, requires);
        }
        for (FetchGroup candidate : groups) {
            if (!candidate.entity || !candidate.graph.equals(graph) || !candidate.path.equals(path)
                    || !candidate.contextVariables.isEmpty()) {
                continue;
            }
            SelNode existing = representation == null ? null : candidate.requires.get(typeName);
            if (existing != null && existing.selectsFieldUnderOtherKey(representation)) {
                continue;
            }
            if (PlanningSupport.isAncestorOrSelf(candidate, latest)) {
                continue;
            }
            if (PlanningSupport.isAncestorOrSelf(latest, candidate.parent)) {
                candidate.constrain(conditions);
                candidate.dependencies.addAll(dependencies);
                return candidate;
            }
            if (PlanningSupport.isAncestorOrSelf(candidate.parent, latest)) {
                candidate.parent.children.remove(candidate);
                candidate.parent = latest;
                latest.children.add(candidate);
                candidate.constrain(conditions);
                candidate.dependencies.addAll(dependencies);
                return candidate;
            }
        }
        FetchGroup group = newGroup(graph, path, true);
        group.parent = latest;
        latest.children.add(group);
        group.constrain(conditions);
        group.dependencies.addAll(dependencies);
        return group;
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private FragmentDefinition fragment(FragmentSpread spread) {
        FragmentDefinition definition = fragments.get(spread.getName());
        if (definition == null) {
            throw new PlanningException("unknown fragment " + spread.getName());
        }
        return definition;
    }

    /** The alias to send for a client field (see {@link Supergraph#dataKey}), or null. */
    private String alias(Field field) {
        String key = supergraph.dataKey(field.getAlias(), field.getName());
        return key.equals(field.getName()) ? null : key;
    }

    private List<String> childPath(List<String> path, Field field, FieldMeta meta) {
        List<String> child = new ArrayList<>(path);
        child.add(supergraph.dataKey(field.getAlias(), field.getName()));
        for (int i = 0; i < PlanningSupport.listDepth(meta.type()); i++) {
            child.add("@");
        }
        return child;
    }

}
