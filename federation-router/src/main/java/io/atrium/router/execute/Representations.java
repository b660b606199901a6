package io.atrium.router.execute;

import io.atrium.router.plan.SelectionItem;
import io.atrium.router.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds an entity representation from an object in the response tree by projecting a requires selection. */
final class Representations {
    private Representations() {
    }

    /**
     * The representation for {@code object}, or null when no {@code ... on T} of the selection applies to it or a
     * selected field is missing (an earlier fetch that should have supplied a key or {@code @requires} field
     * returned null there): an incomplete representation cannot be resolved, so the entity is not asked for.
     */
    static Map<String, Object> project(Map<String, Object> object, List<SelectionItem> requires, List<String> rewrites,
                                       Supergraph supergraph) {
        if (!(object.get("__typename") instanceof String typename)) {
            return null;
        }
        Map<String, Object> result = null;
        String sentTypename = typename;
        for (SelectionItem item : requires) {
            if (item instanceof SelectionItem.InlineFragment fragment
                    && supergraph.isSubtype(typename, fragment.typeCondition())) {
                if (result == null) {
                    result = new LinkedHashMap<>();
                }
                if (!projectInto(object, fragment.selections(), supergraph, result)) {
                    return null;
                }
                if (rewrites.contains(fragment.typeCondition())) {
                    sentTypename = fragment.typeCondition();
                }
            }
        }
        if (result != null) {
            result.put("__typename", sentTypename);
        }
        return result;
    }

    /** Projects {@code selections} of {@code object} into {@code out}; false when a selected field is missing. */
    private static boolean projectInto(Map<String, Object> object, List<SelectionItem> selections, Supergraph supergraph,
                                       Map<String, Object> out) {
        boolean complete = true;
        for (SelectionItem item : selections) {
            switch (item) {
                case SelectionItem.Field field -> {
                    // read where the router fetched it (an alias, see PlanningSupport.requiresSelection), send by name
                    if (!object.containsKey(field.responseKey())) {
                        complete = false;
                        continue;
                    }
                    Object value = object.get(field.responseKey());
                    out.put(field.name(), field.selections() == null ? value : projectValue(value, field.selections(), supergraph));
                }
                case SelectionItem.InlineFragment fragment -> {
                    Object typename = object.get("__typename");
                    if (fragment.typeCondition() == null || (typename instanceof String t
                            && supergraph.isSubtype(t, fragment.typeCondition()))) {
                        complete &= projectInto(object, fragment.selections(), supergraph, out);
                    }
                }
            }
        }
        return complete;
    }

    @SuppressWarnings("unchecked")
    private static Object projectValue(Object value, List<SelectionItem> selections, Supergraph supergraph) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            projectInto((Map<String, Object>) map, selections, supergraph, out);
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object element : list) {
                out.add(projectValue(element, selections, supergraph));
            }
            return out;
        }
        return value;
    }
}
