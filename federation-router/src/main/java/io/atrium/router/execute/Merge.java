package io.atrium.router.execute;

import io.atrium.router.supergraph.Supergraph;
import java.util.List;
import java.util.Map;

/** Deep merge of subgraph results into the response tree. */
final class Merge {
    private Merge() {
    }

    /**
     * Merges an {@code _entities} result into the object it was fetched for. A {@code __typename} naming an
     * interface (sent back by a subgraph modelling it as an object) never replaces the object's real type.
     */
    static void mergeEntity(Map<String, Object> target, Map<String, Object> entity, Supergraph supergraph) {
        Object typename = entity.get("__typename");
        if (typename instanceof String name && target.get("__typename") != null) {
            var type = supergraph.type(name);
            if (type != null && type.kind().isAbstract()) {
                Map<String, Object> copy = new java.util.LinkedHashMap<>(entity);
                copy.remove("__typename");
                deepMerge(target, copy);
                return;
            }
        }
        deepMerge(target, entity);
    }

    @SuppressWarnings("unchecked")
    static void deepMerge(Map<String, Object> target, Map<String, Object> source) {
        for (Map.Entry<String, Object> entry : source.entrySet()) {
            Object incoming = entry.getValue();
            Object existing = target.get(entry.getKey());
            if (existing instanceof Map<?, ?> a && incoming instanceof Map<?, ?> b) {
                deepMerge((Map<String, Object>) a, (Map<String, Object>) b);
            } else if (existing instanceof List<?> a && incoming instanceof List<?> b && a.size() == b.size()) {
                mergeLists((List<Object>) a, (List<Object>) b);
            } else if (incoming != null || existing == null) {
                target.put(entry.getKey(), incoming);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeLists(List<Object> target, List<Object> source) {
        for (int i = 0; i < target.size(); i++) {
            Object existing = target.get(i);
            Object incoming = source.get(i);
            if (existing instanceof Map<?, ?> a && incoming instanceof Map<?, ?> b) {
                deepMerge((Map<String, Object>) a, (Map<String, Object>) b);
            } else if (existing instanceof List<?> a && incoming instanceof List<?> b && a.size() == b.size()) {
                mergeLists((List<Object>) a, (List<Object>) b);
            } else if (incoming != null) {
                target.set(i, incoming);
            }
        }
    }
}
