package io.atrium.router.compose.internal;

import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Directives the supergraph carries for the router to enforce: {@code @authenticated}, {@code @requiresScopes} and
 * {@code @policy} (merged as a conjunction in disjunctive normal form), {@code @cost} (maximum), {@code @listSize}
 * (first), and custom directives a subgraph names with {@code @composeDirective} (each distinct application).
 */
final class CarriedDirectives {
    private CarriedDirectives() {
    }

    static void carry(MergedSchema out, List<List<SubgraphModel.Applied>> perSource, List<String> directives) {
        boolean authenticated = false;
        List<Set<String>> scopes = null;
        List<Set<String>> policies = null;
        Integer cost = null;
        String listSize = null;
        boolean listSizeFirst = false;
        Set<String> custom = new LinkedHashSet<>();
        for (List<SubgraphModel.Applied> applied : perSource) {
            for (SubgraphModel.Applied a : applied) {
                switch (a.name()) {
                    case "authenticated" -> authenticated = true;
                    case "requiresScopes" -> scopes = conjunction(scopes, dnf(a.directive(), "scopes"));
                    case "policy" -> policies = conjunction(policies, dnf(a.directive(), "policies"));
                    case "cost" -> {
                        var weight = a.directive().getArgument("weight");
                        if (weight != null && weight.getValue() instanceof IntValue i) {
                            cost = cost == null ? i.getValue().intValue() : Math.max(cost, i.getValue().intValue());
                        }
                    }
                    case "listSize" -> {
                        listSizeFirst |= listSize == null && cost == null;
                        listSize = listSize != null ? listSize : print("listSize", a.directive());
                    }
                    default -> {
                        if (out.customDirectiveDefinitions.containsKey(a.name())) {
                            custom.add(print(a.name(), a.directive()));
                        }
                    }
                }
            }
        }
        if (authenticated) {
            directives.add("@authenticated");
            out.features.add("authenticated");
        }
        if (scopes != null) {
            directives.add("@requiresScopes(scopes: " + printDnf(scopes) + ")");
            out.features.add("requiresScopes");
        }
        if (policies != null) {
            directives.add("@policy(policies: " + printDnf(policies) + ")");
            out.features.add("policy");
        }
        if (listSize != null && listSizeFirst) {
            directives.add(listSize);
            out.features.add("cost");
        }
        if (cost != null) {
            directives.add("@cost(weight: " + cost + ")");
            out.features.add("cost");
        }
        if (listSize != null && !listSizeFirst) {
            directives.add(listSize);
            out.features.add("cost");
        }
        directives.addAll(custom);
    }

    private static List<Set<String>> dnf(Directive directive, String argName) {
        List<Set<String>> result = new ArrayList<>();
        var arg = directive.getArgument(argName);
        if (arg != null && arg.getValue() instanceof ArrayValue outer) {
            for (Value<?> group : outer.getValues()) {
                Set<String> and = new TreeSet<>();
                if (group instanceof ArrayValue inner) {
                    for (Value<?> v : inner.getValues()) {
                        if (v instanceof StringValue s) {
                            and.add(s.getValue());
                        }
                    }
                }
                result.add(and);
            }
        }
        return result;
    }

    /** (A or B) and (C or D) = AC or AD or BC or BD, with supersets of another group pruned. */
    private static List<Set<String>> conjunction(List<Set<String>> left, List<Set<String>> right) {
        if (left == null) {
            return right;
        }
        List<Set<String>> product = new ArrayList<>();
        for (Set<String> a : left) {
            for (Set<String> b : right) {
                Set<String> and = new TreeSet<>(a);
                and.addAll(b);
                if (!product.contains(and)) {
                    product.add(and);
                }
            }
        }
        List<Set<String>> pruned = new ArrayList<>();
        for (Set<String> candidate : product) {
            boolean superset = false;
            for (Set<String> other : product) {
                superset |= other != candidate && candidate.containsAll(other) && !other.equals(candidate);
            }
            if (!superset) {
                pruned.add(candidate);
            }
        }
        return pruned;
    }

    private static String printDnf(List<Set<String>> dnf) {
        List<String> groups = new ArrayList<>();
        for (Set<String> and : dnf) {
            List<String> quoted = new ArrayList<>();
            and.forEach(s -> quoted.add(Values.quote(s)));
            groups.add("[" + String.join(", ", quoted) + "]");
        }
        return "[" + String.join(", ", groups) + "]";
    }

    static String print(String name, Directive directive) {
        if (directive.getArguments().isEmpty()) {
            return "@" + name;
        }
        List<String> args = new ArrayList<>();
        directive.getArguments().forEach(a -> args.add(a.getName() + ": " + Values.print(a.getValue())));
        return "@" + name + "(" + String.join(", ", args) + ")";
    }
}
