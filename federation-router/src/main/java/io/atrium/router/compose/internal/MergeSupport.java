package io.atrium.router.compose.internal;

import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.Type;
import graphql.language.TypeName;
import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.internal.SubgraphModel.Kind;
import io.atrium.router.compose.internal.SubgraphModel.TypeDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the merge phases share: the subgraphs, the error list, type relations across subgraphs, small rules. */
final class MergeSupport {
    final List<SubgraphModel> subgraphs;
    final List<CompositionError> errors;
    /** Object/interface → the interfaces and unions it belongs to in some subgraph. */
    private final Map<String, Set<String>> supertypes = new HashMap<>();

    MergeSupport(List<SubgraphModel> subgraphs, List<CompositionError> errors) {
        this.subgraphs = subgraphs;
        this.errors = errors;
        for (SubgraphModel s : subgraphs) {
            for (TypeDef type : s.types.values()) {
                for (String iface : type.interfaces) {
                    supertypes.computeIfAbsent(type.name, k -> new java.util.HashSet<>()).add(iface);
                }
                if (type.kind == Kind.UNION) {
                    for (String member : type.members) {
                        supertypes.computeIfAbsent(member, k -> new java.util.HashSet<>()).add(type.name);
                    }
                }
            }
        }
    }

    boolean hasSubgraph(String name) {
        for (SubgraphModel s : subgraphs) {
            if (s.name.equals(name)) {
                return true;
            }
        }
        return false;
    }

    boolean isSubtype(String sub, String sup) {
        if (sub.equals(sup)) {
            return true;
        }
        Set<String> direct = supertypes.get(sub);
        if (direct == null) {
            return false;
        }
        for (String parent : direct) {
            if (parent.equals(sup) || (!parent.equals(sub) && isSubtype(parent, sup))) {
                return true;
            }
        }
        return false;
    }

    /** The most general output type of {@code a} and {@code b} (nullable wins, subtypes widen), or null. */
    Type<?> generalOutput(Type<?> a, Type<?> b) {
        if (a instanceof NonNullType na && b instanceof NonNullType nb) {
            Type<?> inner = generalOutput(na.getType(), nb.getType());
            return inner == null ? null : new NonNullType(inner);
        }
        if (a instanceof NonNullType || b instanceof NonNullType) {
            return generalOutput(TypeNames.nullable(a), TypeNames.nullable(b));
        }
        if (a instanceof ListType la && b instanceof ListType lb) {
            Type<?> inner = generalOutput(la.getType(), lb.getType());
            return inner == null ? null : new ListType(inner);
        }
        if (a instanceof TypeName ta && b instanceof TypeName tb) {
            if (isSubtype(tb.getName(), ta.getName())) {
                return a;
            }
            if (isSubtype(ta.getName(), tb.getName())) {
                return b;
            }
        }
        return null;
    }

    /** The most restrictive input type of {@code a} and {@code b} (non-null wins), or null when incompatible. */
    static Type<?> restrictiveInput(Type<?> a, Type<?> b) {
        if (a instanceof NonNullType || b instanceof NonNullType) {
            Type<?> inner = restrictiveInput(TypeNames.nullable(a), TypeNames.nullable(b));
            return inner == null ? null : new NonNullType(inner);
        }
        if (a instanceof ListType la && b instanceof ListType lb) {
            Type<?> inner = restrictiveInput(la.getType(), lb.getType());
            return inner == null ? null : new ListType(inner);
        }
        if (a instanceof TypeName ta && b instanceof TypeName tb && ta.getName().equals(tb.getName())) {
            return a;
        }
        return null;
    }

    /** The most frequent non-empty description; ties go to the first seen. */
    static String description(List<String> candidates) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String d : candidates) {
            if (d != null && !d.isBlank()) {
                counts.merge(d, 1, Integer::sum);
            }
        }
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            if (entry.getValue() > bestCount) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        return best;
    }

    static String deprecated(String reason) {
        return SubgraphParser.DEFAULT_DEPRECATION.equals(reason) ? "@deprecated"
                : "@deprecated(reason: " + Values.quote(reason) + ")";
    }

    static void tags(Set<String> tags, List<String> out) {
        for (String tag : tags) {
            out.add("@tag(name: " + Values.quote(tag) + ")");
        }
    }

    static String joinType(SubgraphModel s, TypeDef t) {
        return "@join__type(graph: " + s.graphEnum + ")";
    }

    static List<String> names(List<SubgraphModel> list) {
        List<String> out = new ArrayList<>();
        list.forEach(s -> out.add(s.name));
        return out;
    }

    /** {@code "a"}, {@code "a" and "b"}, {@code "a", "b" and "c"}: Apollo's way of naming subgraphs in messages. */
    static String quoted(List<String> names) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(i == names.size() - 1 ? " and " : ", ");
            }
            out.append('"').append(names.get(i)).append('"');
        }
        return out.toString();
    }
}
