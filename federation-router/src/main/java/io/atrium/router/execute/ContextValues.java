package io.atrium.router.execute;

import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.atrium.router.plan.PlanNode;
import io.atrium.router.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the {@code @fromContext} values of one object from its ancestor in the merged response tree. */
final class ContextValues {
    private ContextValues() {
    }

    /** One value per context variable (null when the ancestor or the value is missing). */
    static List<Object> of(List<PlanNode.ContextVariable> variables, Map<String, Object> data, List<Object> objectPath,
                           Supergraph supergraph) {
        List<Object> values = new ArrayList<>(variables.size());
        for (PlanNode.ContextVariable variable : variables) {
            Object ancestor = data;
            int depth = Math.min(variable.ancestorPath().size(), objectPath.size());
            for (int i = 0; i < depth && ancestor != null; i++) {
                Object step = objectPath.get(i);
                ancestor = switch (ancestor) {
                    case Map<?, ?> map when step instanceof String key -> map.get(key);
                    case List<?> list when step instanceof Integer index && index < list.size() -> list.get(index);
                    default -> null;
                };
            }
            values.add(ancestor instanceof Map<?, ?> map ? read(map, variable.selection(), supergraph) : null);
        }
        return values;
    }

    /** The value a context selection such as {@code { prefs { locale } }} or {@code { ... on A { x } }} selects. */
    private static Object read(Map<?, ?> object, SelectionSet selection, Supergraph supergraph) {
        for (Selection<?> s : selection.getSelections()) {
            switch (s) {
                case Field field -> {
                    if (!object.containsKey(field.getName())) {
                        continue;
                    }
                    Object value = object.get(field.getName());
                    if (field.getSelectionSet() == null) {
                        return value;
                    }
                    return value instanceof Map<?, ?> inner ? read(inner, field.getSelectionSet(), supergraph) : null;
                }
                case InlineFragment inline -> {
                    String typename = object.get("__typename") instanceof String t ? t : null;
                    if (inline.getTypeCondition() == null || (typename != null
                            && supergraph.isSubtype(typename, inline.getTypeCondition().getName()))) {
                        Object value = read(object, inline.getSelectionSet(), supergraph);
                        if (value != null) {
                            return value;
                        }
                    }
                }
                default -> { }
            }
        }
        return null;
    }
}
