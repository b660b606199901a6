package io.atrium.router.plan;

import graphql.language.Field;
import graphql.language.SelectionSet;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import java.util.List;
import java.util.Set;

/** Fetch grouping: the root and entity fetches of a plan, made or reused per (subgraph, response path). */
final class FetchGroups {
    private final PlanningContext ctx;
    private final Reachability reach;
    private final Supergraph supergraph;
    private final Set<String> labels;

    FetchGroups(PlanningContext ctx, Reachability reach) {
        this.ctx = ctx;
        this.reach = reach;
        this.supergraph = ctx.supergraph;
        this.labels = ctx.labels;
    }

    FetchGroup newGroup(String graph, List<String> path, boolean entity) {
        FetchGroup group = new FetchGroup(ctx.groups.size(), graph, path, entity);
        ctx.groups.add(group);
        return group;
    }

    /** The root fetch to {@code graph}, created on first use. */
    FetchGroup rootGroup(String graph) {
        for (FetchGroup root : ctx.roots) {
            if (root.graph.equals(graph)) {
                return root;
            }
        }
        FetchGroup group = newGroup(graph, List.of(), false);
        ctx.roots.add(group);
        return group;
    }

    FetchGroup rootGroupForMutation(FieldMeta meta, FetchGroup last) {
        if (last != null && meta.resolvableIn(last.graph, labels)) {
            return last;
        }
        FetchGroup group = newGroup(reach.firstResolvingGraph(meta), List.of(), false);
        ctx.roots.add(group);
        return group;
    }

    FetchGroup rootGroupForQuery(FieldMeta meta, Field field) {
        for (FetchGroup root : ctx.roots) {
            if (meta.resolvableIn(root.graph, labels)
                    && reach.subtreeReachable(root.graph, meta, field, PlanningSupport.childProvided(root.graph, meta, field, null))) {
                return root;
            }
        }
        String best = null;
        int bestScore = -2;
        for (String graph : meta.graphs().keySet()) {
            if (!meta.resolvableIn(graph, labels)) {
                continue;
            }
            int score = reach.localScore(graph, meta.namedType(), field.getSelectionSet(),
                    PlanningSupport.childProvided(graph, meta, field, null), 0);
            if (!reach.subtreeReachable(graph, meta, field, PlanningSupport.childProvided(graph, meta, field, null))) {
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
        ctx.roots.add(group);
        return group;
    }

    boolean hasGroupAt(String graph, List<String> path) {
        for (FetchGroup group : ctx.groups) {
            if (group.entity && group.graph.equals(graph) && group.path.equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** A fetch of its own for a field with {@code @fromContext} arguments (its requests are split per value). */
    FetchGroup contextEntityGroup(String graph, List<String> path, Set<FetchGroup> dependencies) {
        return newEntityGroup(graph, path, dependencies);
    }

    /** A new entity group under the latest of its {@code dependencies}, running under the current conditions. */
    private FetchGroup newEntityGroup(String graph, List<String> path, Set<FetchGroup> dependencies) {
        FetchGroup latest = PlanningSupport.latest(dependencies);
        FetchGroup group = newGroup(graph, path, true);
        group.parent = latest;
        latest.children.add(group);
        group.constrain(ctx.conditions);
        group.dependencies.addAll(dependencies);
        return group;
    }

    /** The entity group for (graph, path) that runs after all {@code dependencies}: reused when possible. */
    FetchGroup entityGroup(String graph, List<String> path, Set<FetchGroup> dependencies) {
        return entityGroup(graph, path, dependencies, null, null);
    }

    /**
     * As {@link #entityGroup(String, List, Set)}, for a field whose representation of {@code typeName} also carries
     * {@code requires} (nullable): a group whose representation reads one of those fields with other arguments
     * cannot be reused (a representation holds each field once), so such fields get a request of their own.
     */
    FetchGroup entityGroup(String graph, List<String> path, Set<FetchGroup> dependencies, String typeName,
                           SelectionSet requires) {
        FetchGroup latest = PlanningSupport.latest(dependencies);
        SelNode representation = null;
        if (requires != null) {
            representation = new SelNode();
            PlanningSupport.addPlain(representation, requires);
        }
        for (FetchGroup candidate : ctx.groups) {
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
                candidate.constrain(ctx.conditions);
                candidate.dependencies.addAll(dependencies);
                return candidate;
            }
            if (PlanningSupport.isAncestorOrSelf(candidate.parent, latest)) {
                candidate.parent.children.remove(candidate);
                candidate.parent = latest;
                latest.children.add(candidate);
                candidate.constrain(ctx.conditions);
                candidate.dependencies.addAll(dependencies);
                return candidate;
            }
        }
        return newEntityGroup(graph, path, dependencies);
    }
}
