package io.atrium.router.compose.internal;

import graphql.language.AstPrinter;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.ErrorCode;
import io.atrium.router.supergraph.EntityKey;
import io.atrium.router.supergraph.FieldInGraph;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.TypeInGraph;
import io.atrium.router.supergraph.TypeKind;
import io.atrium.router.supergraph.TypeMeta;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every field of the API schema must be reachable from the root types through the subgraphs: walking from the
 * roots, a field of a type reached in some subgraphs is resolved by one of them, or by another subgraph reached
 * through a resolvable {@code @key} whose fields the current subgraph has. The walk runs on the composed
 * {@link Supergraph} (the router's own model), breadth first, each (type, subgraphs, provided fields) once.
 * Lenient where the router plans around it: {@code @requires} conditions, interface fields only their
 * implementations define, fields added through {@code @interfaceObject}.
 */
public final class Satisfiability {
    /**
     * A type reached on some path, with the subgraphs that may be resolving it there (any one of them suffices)
     * and, per subgraph, the fields a {@code @provides} on the path makes available (or null).
     */
    private record State(String type, TreeMap<String, SelectionSet> candidates, List<String> path) {
        String id() {
            StringBuilder id = new StringBuilder(type);
            candidates.forEach((graph, provided) -> id.append('|').append(graph)
                    .append(provided == null ? "" : AstPrinter.printAstCompact(provided)));
            return id.toString();
        }

        Set<String> graphs() {
            return candidates.keySet();
        }
    }

    private final Supergraph supergraph;
    private final Map<String, Set<String>> reachableCache = new HashMap<>();
    private final Set<String> reported = new LinkedHashSet<>();
    private final List<CompositionError> errors = new ArrayList<>();

    private Satisfiability(Supergraph supergraph) {
        this.supergraph = supergraph;
    }

    public static List<CompositionError> check(Supergraph supergraph) {
        return new Satisfiability(supergraph).run();
    }

    private List<CompositionError> run() {
        ArrayDeque<State> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (String root : new String[] {supergraph.queryType(), supergraph.mutationType(), supergraph.subscriptionType()}) {
            TypeMeta type = root == null ? null : supergraph.type(root);
            if (type != null) {
                TreeMap<String, SelectionSet> candidates = new TreeMap<>();
                type.graphs().keySet().forEach(graph -> candidates.put(graph, null));
                queue.add(new State(root, candidates, List.of(rootKeyword(root))));
            }
        }
        while (!queue.isEmpty()) {
            State state = queue.poll();
            if (seen.add(state.id())) {
                visit(state, queue);
            }
        }
        return errors;
    }

    private String rootKeyword(String root) {
        if (root.equals(supergraph.mutationType())) {
            return "mutation";
        }
        return root.equals(supergraph.subscriptionType()) ? "subscription" : "";
    }

    private void visit(State state, ArrayDeque<State> queue) {
        TypeMeta type = supergraph.type(state.type());
        if (type == null || type.inaccessible()) {
            return;
        }
        if (type.kind() == TypeKind.UNION || type.kind() == TypeKind.INTERFACE) {
            Map<String, TreeMap<String, SelectionSet>> byObject = new java.util.LinkedHashMap<>();
            state.candidates().forEach((graph, provided) -> {
                for (String object : supergraph.possibleTypesIn(type.name(), graph)) {
                    byObject.computeIfAbsent(object, k -> new TreeMap<>()).put(graph, fragmentOf(provided, object));
                }
            });
            byObject.forEach((object, candidates) -> queue.add(new State(object, candidates,
                    append(state.path(), "... on " + object))));
        }
        for (FieldMeta field : type.fields().values()) {
            if (field.inaccessible() || isHidden(field.namedType())) {
                continue;
            }
            Map<String, FieldInGraph> resolvedIn = resolve(type, field, state);
            if (resolvedIn.isEmpty()) {
                if (type.kind() == TypeKind.OBJECT && !field.graphs().isEmpty()) {
                    report(type, field, state);
                }
                continue;
            }
            TypeMeta child = supergraph.type(field.namedType());
            if (child == null || !child.kind().isComposite()) {
                continue;
            }
            TreeMap<String, SelectionSet> candidates = new TreeMap<>();
            for (FieldInGraph in : resolvedIn.values()) {
                SelectionSet provided = in.provides() != null ? in.provides()
                        : subSelection(state.candidates().get(in.graph()), field.name());
                candidates.put(in.graph(), provided);
            }
            queue.add(new State(field.namedType(), candidates, append(state.path(), field.name())));
        }
    }

    private boolean isHidden(String typeName) {
        TypeMeta type = supergraph.type(typeName);
        return type != null && type.inaccessible();
    }

    /** Subgraph → its definition, for each subgraph that can resolve the field from this state (directly or by key). */
    private Map<String, FieldInGraph> resolve(TypeMeta type, FieldMeta field, State state) {
        Map<String, FieldInGraph> result = new java.util.LinkedHashMap<>();
        state.candidates().forEach((graph, provided) -> {
            FieldInGraph in = field.graphs().get(graph);
            if (in != null && resolvable(in, field, provided)) {
                result.put(graph, in);
            }
        });
        if (type.kind() != TypeKind.OBJECT) {
            return result;
        }
        for (Map.Entry<String, SelectionSet> candidate : state.candidates().entrySet()) {
            for (String target : reachableFrom(type, candidate.getKey(), candidate.getValue())) {
                FieldInGraph in = field.graphs().get(target);
                if (in != null && !result.containsKey(target) && !state.graphs().contains(target)
                        && resolvable(in, field, null)) {
                    result.put(target, in);
                }
            }
        }
        return result;
    }

    private static boolean resolvable(FieldInGraph in, FieldMeta field, SelectionSet provided) {
        if (in.usedOverridden()) {
            return false;
        }
        return !in.external() || selects(provided, field.name());
    }

    /** Subgraphs an entity of {@code type} in {@code from} can move to by resolvable keys, transitively. */
    private Set<String> reachable(TypeMeta type, String from) {
        String cacheKey = type.name() + "/" + from;
        Set<String> cached = reachableCache.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        Set<String> reached = new LinkedHashSet<>();
        reached.add(from);
        reachableCache.put(cacheKey, reached);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (TypeInGraph target : type.graphs().values()) {
                if (reached.contains(target.graph())) {
                    continue;
                }
                for (EntityKey key : target.keys()) {
                    if (key.resolvable() && collectable(type, key.selection(), reached)) {
                        reached.add(target.graph());
                        grew = true;
                        break;
                    }
                }
            }
        }
        return reached;
    }

    /** Like {@link #reachable}, where fields a {@code @provides} made available also supply keys. */
    private Set<String> reachableFrom(TypeMeta type, String graph, SelectionSet provided) {
        if (provided == null) {
            return reachable(type, graph);
        }
        Set<String> out = new LinkedHashSet<>(reachable(type, graph));
        for (TypeInGraph target : type.graphs().values()) {
            if (out.contains(target.graph())) {
                continue;
            }
            for (EntityKey key : target.keys()) {
                if (key.resolvable() && providedCovers(type, key.selection(), graph, provided)) {
                    out.addAll(reachable(type, target.graph()));
                    break;
                }
            }
        }
        return out;
    }

    private boolean providedCovers(TypeMeta type, SelectionSet key, String graph, SelectionSet provided) {
        for (Selection<?> item : key.getSelections()) {
            if (!(item instanceof Field f)) {
                return false;
            }
            if (f.getName().equals("__typename")) {
                continue;
            }
            FieldMeta field = type.field(f.getName());
            FieldInGraph in = field == null ? null : field.graphs().get(graph);
            boolean local = in != null && !in.external();
            boolean isProvided = selects(provided, f.getName());
            if (!local && !isProvided) {
                return false;
            }
            if (f.getSelectionSet() != null) {
                TypeMeta child = supergraph.type(field.namedType());
                boolean covered = child != null && (isProvided
                        ? providedCovers(child, f.getSelectionSet(), graph, subSelection(provided, f.getName()))
                        : collectable(child, f.getSelectionSet(), Set.of(graph)));
                if (!covered) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * True when the fields of {@code selection} on {@code type} can be collected starting from {@code graphs}: each
     * field from one of them, nested selections from the subgraphs that gave their parent field (or that those
     * reach by key), as Apollo satisfies key conditions.
     */
    private boolean collectable(TypeMeta type, SelectionSet selection, Set<String> graphs) {
        return collectable(type, selection, graphs, 0);
    }

    private boolean collectable(TypeMeta type, SelectionSet selection, Set<String> graphs, int depth) {
        if (depth > 8) {
            return false;
        }
        for (Selection<?> item : selection.getSelections()) {
            if (item instanceof InlineFragment fragment) {
                TypeMeta condition = fragment.getTypeCondition() == null ? type
                        : supergraph.type(fragment.getTypeCondition().getName());
                if (condition == null || !collectable(condition, fragment.getSelectionSet(), graphs, depth + 1)) {
                    return false;
                }
                continue;
            }
            Field f = (Field) item;
            if (f.getName().equals("__typename")) {
                continue;
            }
            FieldMeta field = type.field(f.getName());
            if (field == null) {
                return false;
            }
            Set<String> from = new TreeSet<>();
            for (String graph : graphs) {
                FieldInGraph in = field.graphs().get(graph);
                if (in != null && !in.external()) {
                    from.add(graph);
                }
            }
            if (from.isEmpty()) {
                return false;
            }
            if (f.getSelectionSet() != null) {
                TypeMeta child = supergraph.type(field.namedType());
                if (child == null || !collectable(child, f.getSelectionSet(), expand(child, from), depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code graphs} and every subgraph an entity of {@code type} reaches from them by key. */
    private Set<String> expand(TypeMeta type, Set<String> graphs) {
        if (type.kind() != TypeKind.OBJECT) {
            return graphs;
        }
        Set<String> out = new TreeSet<>(graphs);
        for (String graph : graphs) {
            out.addAll(reachable(type, graph));
        }
        return out;
    }

    private static boolean selects(SelectionSet provided, String fieldName) {
        if (provided == null) {
            return false;
        }
        for (Selection<?> selection : provided.getSelections()) {
            if (selection instanceof Field f && f.getName().equals(fieldName)) {
                return true;
            }
        }
        return false;
    }

    /** The provided selection below {@code fieldName}, or null. */
    private static SelectionSet subSelection(SelectionSet provided, String fieldName) {
        if (provided == null) {
            return null;
        }
        for (Selection<?> selection : provided.getSelections()) {
            if (selection instanceof Field f && f.getName().equals(fieldName) && f.getSelectionSet() != null) {
                return f.getSelectionSet();
            }
        }
        return null;
    }

    private static SelectionSet fragmentOf(SelectionSet provided, String object) {
        if (provided == null) {
            return null;
        }
        List<Selection> selections = new ArrayList<>();
        for (Selection<?> selection : provided.getSelections()) {
            if (selection instanceof InlineFragment fragment) {
                if (fragment.getTypeCondition() != null && fragment.getTypeCondition().getName().equals(object)) {
                    selections.addAll(fragment.getSelectionSet().getSelections());
                }
            } else {
                selections.add(selection);
            }
        }
        return selections.isEmpty() ? null : SelectionSet.newSelectionSet(selections).build();
    }

    private static List<String> append(List<String> path, String element) {
        List<String> out = new ArrayList<>(path);
        out.add(element);
        return out;
    }

    private void report(TypeMeta type, FieldMeta field, State state) {
        String coordinate = type.name() + "." + field.name();
        if (!reported.add(coordinate)) {
            return;
        }
        StringBuilder query = new StringBuilder(state.path().getFirst().isEmpty() ? "" : state.path().getFirst() + " ");
        query.append("{\n");
        List<String> path = append(state.path().subList(1, state.path().size()), field.name());
        for (int i = 0; i < path.size(); i++) {
            query.append("  ".repeat(i + 1)).append(path.get(i)).append(i < path.size() - 1 ? " {\n" : "\n");
        }
        for (int i = path.size() - 1; i >= 0; i--) {
            query.append("  ".repeat(i)).append("}\n");
        }
        StringBuilder reasons = new StringBuilder();
        for (String graph : new TreeSet<>(state.graphs())) {
            reasons.append("- from subgraph \"").append(name(graph)).append("\":\n  - cannot find field \"")
                    .append(coordinate).append("\".\n");
            for (String target : field.graphs().keySet()) {
                if (state.graphs().contains(target)) {
                    continue;
                }
                reasons.append("  - cannot move to subgraph \"").append(name(target)).append("\", which has field \"")
                        .append(coordinate).append("\", because ").append(whyNot(type, target)).append(".\n");
            }
        }
        errors.add(new CompositionError(ErrorCode.SATISFIABILITY_ERROR, "The following supergraph API query:\n"
                + query + "cannot be satisfied by the subgraphs because:\n" + reasons.toString().stripTrailing(),
                null, 0, 0));
    }

    private String whyNot(TypeMeta type, String target) {
        TypeInGraph in = type.graphs().get(target);
        if (in == null || in.keys().isEmpty()) {
            return "type \"" + type.name() + "\" has no @key defined in subgraph \"" + name(target) + "\"";
        }
        if (!in.hasResolvableKey()) {
            return "none of the @key defined on type \"" + type.name() + "\" in subgraph \"" + name(target)
                    + "\" are resolvable (they are all declared with their \"resolvable\" argument set to false)";
        }
        return "the key field(s) of its @key(fields: \"" + in.keys().getFirst().fields() + "\") cannot be resolved"
                + " from the subgraphs that reach it";
    }

    private String name(String graph) {
        var subgraph = supergraph.subgraph(graph);
        return subgraph == null ? graph : subgraph.name();
    }
}
