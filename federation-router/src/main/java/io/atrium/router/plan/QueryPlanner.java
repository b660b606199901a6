package io.atrium.router.plan;

import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Definition;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import io.atrium.router.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Plans a client operation over a supergraph: a pure function of (supergraph, document, operation name,
 * enabled override labels). Fields stay in the subgraph already being fetched whenever it can resolve them;
 * everything else becomes an entity fetch per (subgraph, response path), ordered after the fetches that
 * provide its keys and {@code @requires} fields.
 */public final class QueryPlanner {
    private final PlanningContext ctx;
    private final Supergraph supergraph;

    private QueryPlanner(Supergraph supergraph, Set<String> labels) {
        this.ctx = new PlanningContext(supergraph, labels);
        this.supergraph = supergraph;
    }

    /** Plans {@code operationName} (or the only operation) of an already validated document. */
    public static QueryPlan plan(Supergraph supergraph, Document document, String operationName, Set<String> labels) {
        return new QueryPlanner(supergraph, Set.copyOf(labels)).run(document, operationName);
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
                ctx.fragments.put(fragment.getName(), fragment);
            }
        }
        for (VariableDefinition variable : operation.getVariableDefinitions()) {
            ctx.variableDefinitions.put(variable.getName(), variable);
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
        new SelectionPlanner(ctx).planRoot(rootType, collectRootFields(rootType, operation.getSelectionSet()), mutation);
        ResponseShape shape = new ShapeBuilder(supergraph, ctx.fragments).build(rootType, operation.getSelectionSet());
        String kind = mutation ? "mutation" : "query";
        PlanAssembler assembler = new PlanAssembler(supergraph, ctx.variableDefinitions, ctx.roots);
        List<PlanNode> rootNodes = new ArrayList<>();
        for (FetchGroup root : ctx.roots) {
            rootNodes.add(assembler.node(root, operation.getName(), kind));
        }
        PlanNode rootNode;
        // A fetch that waits for groups in other branches of the dependency tree (e.g. @requires fields from two
        // unrelated fetches) cannot run as a tree: run the plan level by level, which orders it after all of them.
        boolean dag = assembler.hasCrossBranchDependencies(ctx.groups);
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
                case FragmentSpread spread -> collectRootFields(rootType, ctx.fragment(spread).getSelectionSet(),
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
}
