package io.atrium.graphql.contract;

import java.util.Set;

/**
 * Which part of a supergraph a client sees, as Apollo's contracts define it: with an empty {@code include} everything
 * is kept except elements tagged with an {@code exclude} tag; with an {@code include} list, object and interface fields
 * (and unions) are kept only when they or their type carry an included tag. Excluded wins over included.
 *
 * @param include         {@code @tag} names that select what is kept (empty: everything)
 * @param exclude         {@code @tag} names that remove what carries them
 * @param hideUnreachable drop types no root operation type reaches any more
 */
public record ViewRules(Set<String> include, Set<String> exclude, boolean hideUnreachable) {
    public static final ViewRules EVERYTHING = new ViewRules(Set.of(), Set.of(), true);

    public ViewRules {
        include = Set.copyOf(include);
        exclude = Set.copyOf(exclude);
    }
}
