package io.atrium.router.plan;

import graphql.language.AstPrinter;
import io.atrium.router.supergraph.FieldInGraph;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.TypeMeta;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subgraph operation must validate in the subgraph: fields that share a response key in one selection set (through
 * fragments on different object types too) must have the same response shape there (GraphQL's "overlapping fields
 * can be merged" rule). A subgraph may type such fields differently where the supergraph does not (e.g. {@code ID!}
 * on one member of a union and {@code ID} on another): every shape after the first is sent under an alias of its
 * own ({@code key__alias_<n>}) and renamed back to the client's key when the answer is merged
 * ({@link PlanNode.KeyRename}).
 */
final class ResponseKeyConflicts {
    private final Supergraph supergraph;
    private final String graph;
    private final Map<SelectionItem.Field, String> aliases = new IdentityHashMap<>();
    private final List<PlanNode.KeyRename> renames = new ArrayList<>();

    record Result(List<SelectionItem> selections, List<PlanNode.KeyRename> renames) {
    }

    private record Entry(String parentType, SelectionItem.Field field) {
    }

    private ResponseKeyConflicts(Supergraph supergraph, String graph) {
        this.supergraph = supergraph;
        this.graph = graph;
    }

    /**
     * The selections of a fetch to {@code graph} on {@code parentType} (for entity fetches: the {@code ... on T}
     * fragments under {@code _entities}) with conflicting fields aliased, and the renames that undo it.
     */
    static Result resolve(Supergraph supergraph, String graph, String parentType, List<SelectionItem> selections) {
        ResponseKeyConflicts conflicts = new ResponseKeyConflicts(supergraph, graph);
        List<Entry> entries = new ArrayList<>();
        flatten(parentType, selections, entries);
        conflicts.check(entries, List.of());
        if (conflicts.aliases.isEmpty()) {
            return new Result(selections, List.of());
        }
        // deepest first: a rename's path names its ancestors by the keys the subgraph answers with
        conflicts.renames.sort((a, b) -> Integer.compare(b.path().size(), a.path().size()));
        return new Result(conflicts.rewrite(selections), List.copyOf(conflicts.renames));
    }

    private static void flatten(String parentType, List<SelectionItem> items, List<Entry> out) {
        for (SelectionItem item : items) {
            switch (item) {
                case SelectionItem.Field field -> out.add(new Entry(parentType, field));
                case SelectionItem.InlineFragment fragment -> flatten(
                        fragment.typeCondition() == null ? parentType : fragment.typeCondition(), fragment.selections(), out);
            }
        }
    }

    /** Fields of one merged selection set at response {@code path}; their sub-selections are checked together. */
    private void check(List<Entry> entries, List<String> path) {
        Map<String, List<Entry>> byKey = new LinkedHashMap<>();
        for (Entry entry : entries) {
            byKey.computeIfAbsent(entry.field().responseKey(), k -> new ArrayList<>()).add(entry);
        }
        for (Map.Entry<String, List<Entry>> group : byKey.entrySet()) {
            String key = group.getKey();
            Map<String, List<Entry>> byShape = new LinkedHashMap<>();
            for (Entry entry : group.getValue()) {
                byShape.computeIfAbsent(shape(entry), k -> new ArrayList<>()).add(entry);
            }
            int n = 0;
            for (List<Entry> sameShape : byShape.values()) {
                String sent = n == 0 ? key : PlanNode.KeyRename.alias(key, n - 1);
                if (n > 0) {
                    sameShape.forEach(entry -> aliases.put(entry.field(), sent));
                    renames.add(new PlanNode.KeyRename(path, sent, key));
                }
                n++;
                List<Entry> children = new ArrayList<>();
                for (Entry entry : sameShape) {
                    if (entry.field().selections() != null) {
                        flatten(namedType(entry), entry.field().selections(), children);
                    }
                }
                if (!children.isEmpty()) {
                    List<String> childPath = new ArrayList<>(path);
                    childPath.add(sent);
                    check(children, childPath);
                }
            }
        }
    }

    /**
     * What must be equal for two fields to merge: the type as the subgraph declares it, with composite named types
     * all alike (their sub-selections are compared instead). Unknown fields never conflict.
     */
    private String shape(Entry entry) {
        if (entry.field().name().equals("__typename")) {
            return "String!";
        }
        FieldMeta meta = field(entry);
        if (meta == null) {
            return "";
        }
        FieldInGraph in = meta.graphs().get(graph);
        String type = in != null && in.typeInGraph() != null ? in.typeInGraph() : AstPrinter.printAst(meta.type());
        String named = type.replaceAll("[\\[\\]!\\s]", "");
        TypeMeta namedType = supergraph.type(named);
        return namedType != null && namedType.kind().isComposite() ? type.replace(named, "{}") : type;
    }

    private String namedType(Entry entry) {
        FieldMeta meta = field(entry);
        if (meta == null) {
            return null;
        }
        FieldInGraph in = meta.graphs().get(graph);
        return in != null && in.namedTypeInGraph() != null ? in.namedTypeInGraph() : meta.namedType();
    }

    private FieldMeta field(Entry entry) {
        TypeMeta parent = entry.parentType() == null ? null : supergraph.type(entry.parentType());
        return parent == null ? null : parent.field(entry.field().name());
    }

    private List<SelectionItem> rewrite(List<SelectionItem> items) {
        List<SelectionItem> result = new ArrayList<>(items.size());
        for (SelectionItem item : items) {
            switch (item) {
                case SelectionItem.Field field -> {
                    String alias = aliases.getOrDefault(field, field.alias());
                    result.add(new SelectionItem.Field(alias, field.name(), field.arguments(), field.directives(),
                            field.selections() == null ? null : rewrite(field.selections())));
                }
                case SelectionItem.InlineFragment fragment -> result.add(new SelectionItem.InlineFragment(
                        fragment.typeCondition(), fragment.directives(), rewrite(fragment.selections())));
            }
        }
        return result;
    }
}
