package io.atrium.graphql.authz;

import io.atrium.policy.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a schema element demands of the caller: {@code @authenticated}, {@code @requiresScopes(scopes: [[…]])} and
 * {@code @policy(policies: [[…]])}. Each list is OR of ANDs; an empty list demands nothing.
 */
record Requirement(boolean authenticated, List<Set<String>> scopes, List<Set<String>> policies) {
    static final Requirement NONE = new Requirement(false, List.of(), List.of());

    Requirement {
        scopes = List.copyOf(scopes);
        policies = List.copyOf(policies);
    }

    boolean isEmpty() {
        return !authenticated && scopes.isEmpty() && policies.isEmpty();
    }

    /** Both requirements (an element and its type): each demand must hold. */
    Requirement and(Requirement other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        return new Requirement(authenticated || other.authenticated, andOr(scopes, other.scopes),
                andOr(policies, other.policies));
    }

    /** (a1 | a2) & (b1 | b2) = a1b1 | a1b2 | a2b1 | a2b2. */
    private static List<Set<String>> andOr(List<Set<String>> left, List<Set<String>> right) {
        if (left.isEmpty()) {
            return right;
        }
        if (right.isEmpty()) {
            return left;
        }
        List<Set<String>> out = new ArrayList<>();
        for (Set<String> l : left) {
            for (Set<String> r : right) {
                Set<String> both = new java.util.TreeSet<>(l);
                both.addAll(r);
                out.add(Set.copyOf(both));
            }
        }
        return out;
    }

    boolean allows(Identity identity, PolicyRules rules) {
        if (isEmpty()) {
            return true;
        }
        if (identity == null) {
            return false; // every directive needs an authenticated caller
        }
        if (!scopes.isEmpty() && scopes.stream().noneMatch(identity.scopes()::containsAll)) {
            return false;
        }
        return policies.isEmpty() || policies.stream().anyMatch(all -> all.stream().allMatch(p -> rules.allows(p, identity)));
    }
}
