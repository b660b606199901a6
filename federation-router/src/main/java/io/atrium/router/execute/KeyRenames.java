package io.atrium.router.execute;

import io.atrium.router.plan.PlanNode;
import java.util.List;
import java.util.Map;

/** Applies a fetch's {@link PlanNode.KeyRename}s to its answer before it is merged. */
final class KeyRenames {
    private KeyRenames() {
    }

    /** Renames in {@code root} (the data of a root fetch, or one entity); renames come deepest first. */
    static void apply(Map<String, Object> root, List<PlanNode.KeyRename> renames) {
        for (PlanNode.KeyRename rename : renames) {
            apply(root, rename, 0);
        }
    }

    @SuppressWarnings("unchecked")
    private static void apply(Object value, PlanNode.KeyRename rename, int step) {
        if (value instanceof List<?> list) {
            for (Object element : list) {
                apply(element, rename, step);
            }
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            return;
        }
        Map<String, Object> object = (Map<String, Object>) map;
        if (step < rename.path().size()) {
            apply(object.get(rename.path().get(step)), rename, step + 1);
        } else if (object.containsKey(rename.from())) {
            object.put(rename.to(), object.remove(rename.from()));
        }
    }
}
