package io.atrium.router.supergraph;

import java.util.List;

/** How one subgraph defines a type ({@code @join__type}). */
public record TypeInGraph(String graph, List<EntityKey> keys, boolean interfaceObject, boolean extension) {
    public TypeInGraph {
        keys = List.copyOf(keys);
    }

    public boolean isEntity() {
        return !keys.isEmpty();
    }

    public boolean hasResolvableKey() {
        for (EntityKey key : keys) {
            if (key.resolvable()) {
                return true;
            }
        }
        return false;
    }
}
