package io.atrium.router.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a registry holds at one version: the subgraphs (by name, in registration order), the supergraph they compose
 * to (null while there are none), the trusted-operation manifests per client name, and the history of changes.
 * Immutable; every change makes a new state with {@code version + 1}.
 */
public record RegistryState(long version, Map<String, SubgraphRecord> subgraphs, String supergraphSdl,
                            String supergraphHash, Map<String, List<RegisteredOperation>> operations,
                            List<HistoryEntry> history) {

    public static final RegistryState EMPTY = new RegistryState(0, Map.of(), null, null, Map.of(), List.of());

    public RegistryState {
        subgraphs = Collections.unmodifiableMap(new LinkedHashMap<>(subgraphs));
        operations = Collections.unmodifiableMap(new LinkedHashMap<>(operations));
        history = List.copyOf(history);
    }
}
