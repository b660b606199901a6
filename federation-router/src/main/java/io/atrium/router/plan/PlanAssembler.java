package io.atrium.router.plan;

import graphql.language.AstPrinter;
import graphql.language.VariableDefinition;
import io.atrium.router.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns planned {@link FetchGroup}s into plan nodes: a dependency tree, or levels of batched fetches. */
final class PlanAssembler {
    private final Supergraph supergraph;
    private final Map<String, VariableDefinition> variableDefinitions;
    private final List<FetchGroup> roots;

    PlanAssembler(Supergraph supergraph, Map<String, VariableDefinition> variableDefinitions, List<FetchGroup> roots) {
        this.supergraph = supergraph;
        this.variableDefinitions = variableDefinitions;
        this.roots = roots;
    }


    PlanNode node(FetchGroup group, String operationName, String kind) {
        PlanNode fetch = fetch(group, operationName, kind);
        if (group.entity) {
            fetch = new PlanNode.Flatten(List.of(group.path), fetch);
        }
        if (group.children.isEmpty()) {
            return conditional(group.conditions, fetch);
        }
        List<PlanNode> children = new ArrayList<>();
        for (FetchGroup child : group.children) {
            children.add(node(child, operationName, "query"));
        }
        List<PlanNode> sequence = new ArrayList<>();
        sequence.add(fetch);
        if (children.size() == 1) {
            PlanNode only = children.getFirst();
            if (only instanceof PlanNode.Sequence inner) {
                sequence.addAll(inner.nodes());
            } else {
                sequence.add(only);
            }
        } else {
            sequence.add(new PlanNode.Parallel(children));
        }
        return conditional(group.conditions, new PlanNode.Sequence(sequence));
    }

    /** Wraps a node in the variable conditions it runs under, outermost first. */
    private static PlanNode conditional(List<ResponseShape.Condition> conditions, PlanNode node) {
        if (conditions == null) {
            return node;
        }
        PlanNode result = node;
        for (int i = conditions.size() - 1; i >= 0; i--) {
            ResponseShape.Condition condition = conditions.get(i);
            result = condition.include() ? new PlanNode.Condition(condition.variable(), result, null)
                    : new PlanNode.Condition(condition.variable(), null, result);
        }
        return result;
    }

    /**
     * Fewer requests: entity fetches to the same subgraph at the same dependency depth become one request for
     * all their paths, when their selections and representations merge without conflict. The plan then runs
     * level by level. Returns null when batching saves nothing (the tree keeps more pipelining).
     */
    PlanNode batchedByLevel(String operationName, boolean force) {
        return batchedByLevel(roots, operationName, force, "query");
    }

    /** True when some group depends on a group that is not one of its ancestors in the tree. */
    boolean hasCrossBranchDependencies(List<FetchGroup> groups) {
        for (FetchGroup group : groups) {
            for (FetchGroup dependency : group.dependencies) {
                if (group.parent != null && !PlanningSupport.isAncestorOrSelf(dependency, group.parent)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Mutations: root fetches in order, each followed by its entity fetches level by level. */
    PlanNode levelsPerRoot(String operationName) {
        List<PlanNode> sequence = new ArrayList<>();
        for (FetchGroup root : roots) {
            PlanNode node = batchedByLevel(List.of(root), operationName, true, "mutation");
            if (node instanceof PlanNode.Sequence inner) {
                sequence.addAll(inner.nodes());
            } else {
                sequence.add(node);
            }
        }
        return sequence.size() == 1 ? sequence.getFirst() : new PlanNode.Sequence(sequence);
    }

    private PlanNode batchedByLevel(List<FetchGroup> roots, String operationName, boolean force, String rootKind) {
        List<List<FetchGroup>> levels = new ArrayList<>();
        levels.add(new ArrayList<>(roots));
        while (true) {
            List<FetchGroup> next = new ArrayList<>();
            for (FetchGroup group : levels.getLast()) {
                next.addAll(group.children);
            }
            if (next.isEmpty()) {
                break;
            }
            levels.add(next);
        }
        List<List<List<FetchGroup>>> batchesPerLevel = new ArrayList<>();
        int fetches = 0;
        int batches = 0;
        for (int depth = 1; depth < levels.size(); depth++) {
            List<List<FetchGroup>> batchesHere = new ArrayList<>();
            for (FetchGroup group : levels.get(depth)) {
                fetches++;
                List<FetchGroup> home = null;
                for (List<FetchGroup> batch : batchesHere) {
                    if (batch.getFirst().graph.equals(group.graph) && mergeable(batch, group)) {
                        home = batch;
                        break;
                    }
                }
                if (home == null) {
                    home = new ArrayList<>();
                    batchesHere.add(home);
                    batches++;
                }
                home.add(group);
            }
            batchesPerLevel.add(batchesHere);
        }
        if (batches == fetches && !force) {
            return null;
        }
        List<PlanNode> sequence = new ArrayList<>();
        List<PlanNode> rootFetches = new ArrayList<>();
        for (FetchGroup root : roots) {
            rootFetches.add(fetch(root, operationName, rootKind));
        }
        sequence.add(rootFetches.size() == 1 ? rootFetches.getFirst() : new PlanNode.Parallel(rootFetches));
        for (List<List<FetchGroup>> level : batchesPerLevel) {
            List<PlanNode> nodes = new ArrayList<>();
            for (List<FetchGroup> batch : level) {
                nodes.add(batchNode(batch, operationName));
            }
            sequence.add(nodes.size() == 1 ? nodes.getFirst() : new PlanNode.Parallel(nodes));
        }
        return sequence.size() == 1 ? sequence.getFirst() : new PlanNode.Sequence(sequence);
    }

    private boolean mergeable(List<FetchGroup> batch, FetchGroup group) {
        // A batched request sends every object found at any of its paths whose type it fetches. Types both sides
        // fetch need identical representations; a type only one side fetches must be key-only, so objects of it
        // found at the other side's paths are sent harmlessly (their extra fields never reach the client).
        if (!group.contextVariables.isEmpty()) {
            return false;
        }
        for (FetchGroup member : batch) {
            if (!member.contextVariables.isEmpty()) {
                return false;
            }
            if (!java.util.Objects.equals(member.conditions, group.conditions)
                    || !member.selection.compatible(group.selection)) {
                return false;
            }
            for (Map.Entry<String, SelNode> entry : group.requires.entrySet()) {
                SelNode other = member.requires.get(entry.getKey());
                if (other == null ? group.requiresTypes.contains(entry.getKey())
                        : !other.freeze().equals(entry.getValue().freeze())) {
                    return false;
                }
            }
            for (String type : member.requires.keySet()) {
                if (!group.requires.containsKey(type) && member.requiresTypes.contains(type)) {
                    return false;
                }
            }
        }
        return true;
    }

    private PlanNode batchNode(List<FetchGroup> batch, String operationName) {
        FetchGroup first = batch.getFirst();
        if (batch.size() == 1) {
            return conditional(first.conditions,
                    new PlanNode.Flatten(List.of(first.path), fetch(first, operationName, "query")));
        }
        FetchGroup merged = new FetchGroup(first.id, first.graph, first.path, true);
        List<List<String>> paths = new ArrayList<>();
        for (FetchGroup group : batch) {
            if (!paths.contains(group.path)) {
                paths.add(group.path);
            }
            merged.selection.mergeFrom(group.selection);
            merged.variables.addAll(group.variables);
            merged.requiresTypes.addAll(group.requiresTypes);
            merged.typenameRewrites.addAll(group.typenameRewrites);
            for (Map.Entry<String, SelNode> entry : group.requires.entrySet()) {
                merged.requires.computeIfAbsent(entry.getKey(), k -> new SelNode()).mergeFrom(entry.getValue());
            }
        }
        return conditional(first.conditions, new PlanNode.Flatten(paths, fetch(merged, operationName, "query")));
    }

    private PlanNode.Fetch fetch(FetchGroup group, String operationName, String kind) {
        String subgraphName = supergraph.subgraph(group.graph).name();
        ResponseKeyConflicts.Result resolved = ResponseKeyConflicts.resolve(supergraph, group.graph,
                group.entity ? null : kind.equals("mutation") ? supergraph.mutationType() : supergraph.queryType(),
                group.selection.freeze());
        List<SelectionItem> selections = resolved.selections();
        List<SelectionItem> requires = new ArrayList<>();
        for (Map.Entry<String, SelNode> entry : group.requires.entrySet()) {
            requires.add(new SelectionItem.InlineFragment(entry.getKey(), "", entry.getValue().freeze()));
        }
        String name = operationName == null ? null
                : operationName + "__" + subgraphName.replaceAll("[^_0-9A-Za-z]", "_") + "__" + group.id;
        StringBuilder op = new StringBuilder(kind);
        if (name != null) {
            op.append(' ').append(name);
        }
        List<String> variableDefinitions = new ArrayList<>();
        if (group.entity) {
            variableDefinitions.add("$representations: [_Any!]!");
        }
        List<String> usages = new ArrayList<>();
        for (String variable : variableDefinitions.isEmpty() ? group.variables : group.variables) {
            VariableDefinition definition = this.variableDefinitions.get(variable);
            if (definition == null) {
                throw new PlanningException("variable $" + variable + " is not defined by the operation");
            }
            usages.add(variable);
            variableDefinitions.add(AstPrinter.printAst(definition.transform(b -> b.directives(List.of()))));
        }
        group.contextVariableTypes.forEach((variable, type) -> variableDefinitions.add("$" + variable + ": " + type));
        if (!variableDefinitions.isEmpty()) {
            op.append('(').append(String.join(", ", variableDefinitions)).append(')');
        }
        if (group.entity) {
            op.append("{_entities(representations: $representations) ");
            SelectionItem.printCompact(selections, op);
            op.append('}');
        } else {
            SelectionItem.printCompact(selections, op);
        }
        return new PlanNode.Fetch(subgraphName, group.graph, op.toString(), name, usages, requires, selections,
                List.copyOf(group.typenameRewrites), group.contextVariables, resolved.renames());
    }
}
