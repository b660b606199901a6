package io.atrium.router.plan;

import graphql.language.SelectionSet;
import java.util.List;
import java.util.Set;

/**
 * Where a selection is planned: into {@code target} of {@code group}, at response {@code path}, with the fields a
 * {@code @provides} makes available there; every group that supplies a planned field joins {@code providers}.
 */
record Site(FetchGroup group, SelNode target, List<String> path, SelectionSet provided,
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
