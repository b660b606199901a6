package io.atrium.router.registry;

import io.atrium.graphql.trusted.Sha256;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Teams register, update and remove subgraphs and publish trusted-operation manifests here. Every change is composed
 * at once and only a supergraph that composes goes live: a change that would break composition (or a manifest whose
 * operations do not validate) is refused and changes nothing. Changes are compare-and-set on the store's version,
 * so concurrent publishers never lose an update. {@link #check} runs the same composition without saving and adds the
 * schema checks a CI pipeline acts on.
 */
public final class SubgraphRegistry {
    private static final int MAX_ATTEMPTS = 16;

    private final RegistryStore store;
    private final Clock clock;
    private volatile Parsed parsed;

    private record Parsed(long version, Supergraph supergraph) {
    }

    public SubgraphRegistry(RegistryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public RegistryState state() {
        return store.read();
    }

    /** The live supergraph of the stored state, or null while no subgraph is registered. */
    public Supergraph supergraph() {
        return supergraph(store.read());
    }

    /** Registers or replaces subgraph {@code candidate.name()}; refused (nothing changes) unless the result composes. */
    public RegistryResult publish(SubgraphSource candidate, String actor) {
        return change(state -> {
            SubgraphRecord existing = state.subgraphs().get(candidate.name());
            if (existing != null && existing.routingUrl().equals(candidate.routingUrl())
                    && existing.sdl().equals(candidate.sdl())) {
                return new Outcome(null, new RegistryResult.Unchanged(state.version()));
            }
            Map<String, SubgraphRecord> subgraphs = new LinkedHashMap<>(state.subgraphs());
            subgraphs.put(candidate.name(), new SubgraphRecord(candidate.name(), candidate.routingUrl(), candidate.sdl(),
                    Sha256.hex(candidate.sdl()), clock.millis(), actor));
            return composed(state, subgraphs, HistoryEntry.PUBLISH, candidate.name(), Sha256.hex(candidate.sdl()), actor);
        });
    }

    /** Removes a subgraph; refused (nothing changes) when the others do not compose without it. */
    public RegistryResult delete(String name, String actor) {
        return change(state -> {
            if (!state.subgraphs().containsKey(name)) {
                return new Outcome(null, new RegistryResult.NotFound(name));
            }
            Map<String, SubgraphRecord> subgraphs = new LinkedHashMap<>(state.subgraphs());
            subgraphs.remove(name);
            return composed(state, subgraphs, HistoryEntry.DELETE, name, null, actor);
        });
    }

    /**
     * Replaces the trusted-operation manifest of {@code client}; refused when an operation does not validate against
     * the live API schema (a manifest that cannot run protects nothing).
     */
    public RegistryResult publishOperations(String client, List<RegisteredOperation> operations, String actor) {
        return change(state -> {
            Supergraph supergraph = supergraph(state);
            if (supergraph != null) {
                List<OperationFailure> broken = SchemaChecks.operations(supergraph.apiSchema(), Map.of(client, operations));
                if (!broken.isEmpty()) {
                    return new Outcome(null, new RegistryResult.Refused(List.of(), broken));
                }
            }
            Map<String, List<RegisteredOperation>> all = new LinkedHashMap<>(state.operations());
            all.put(client, List.copyOf(operations));
            long version = state.version() + 1;
            RegistryState next = new RegistryState(version, state.subgraphs(), state.supergraphSdl(),
                    state.supergraphHash(), all, history(state, new HistoryEntry(version, HistoryEntry.OPERATIONS,
                    client, null, state.supergraphHash(), clock.millis(), actor)));
            return new Outcome(next, new RegistryResult.Applied(version, state.supergraphHash(), List.of()));
        });
    }

    /**
     * Retires the operations registered under {@code client} (a client name, or {@code name/version} for one app
     * version): schema checks stop protecting them, and a BFF reading the registry stops serving them.
     */
    public RegistryResult retireOperations(String client, String actor) {
        return change(state -> {
            if (!state.operations().containsKey(client)) {
                return new Outcome(null, new RegistryResult.NotFound(client));
            }
            Map<String, List<RegisteredOperation>> all = new LinkedHashMap<>(state.operations());
            all.remove(client);
            long version = state.version() + 1;
            RegistryState next = new RegistryState(version, state.subgraphs(), state.supergraphSdl(),
                    state.supergraphHash(), all, history(state, new HistoryEntry(version, HistoryEntry.RETIRE,
                    client, null, state.supergraphHash(), clock.millis(), actor)));
            return new Outcome(next, new RegistryResult.Applied(version, state.supergraphHash(), List.of()));
        });
    }

    /**
     * What publishing {@code candidate} would do, without saving: composition errors, API schema changes, and
     * registered operations that would no longer validate.
     */
    public CheckReport check(SubgraphSource candidate, boolean allowBreaking) {
        RegistryState state = store.read();
        Map<String, SubgraphRecord> subgraphs = new LinkedHashMap<>(state.subgraphs());
        subgraphs.put(candidate.name(), new SubgraphRecord(candidate.name(), candidate.routingUrl(), candidate.sdl(),
                Sha256.hex(candidate.sdl()), clock.millis(), null));
        CompositionResult result = Composer.compose(sources(subgraphs));
        if (result instanceof CompositionResult.Failed failed) {
            return new CheckReport(failed.errors(), List.of(), List.of(), allowBreaking);
        }
        Supergraph after = ((CompositionResult.Composed) result).supergraph();
        Supergraph before = supergraph(state);
        return new CheckReport(List.of(),
                SchemaChecks.diff(before == null ? null : before.apiSchema(), after.apiSchema()),
                SchemaChecks.operations(after.apiSchema(), state.operations()), allowBreaking);
    }

    private Outcome composed(RegistryState state, Map<String, SubgraphRecord> subgraphs, String action, String subgraph,
                             String sdlHash, String actor) {
        long version = state.version() + 1;
        if (subgraphs.isEmpty()) {
            RegistryState next = new RegistryState(version, subgraphs, null, null, state.operations(),
                    history(state, new HistoryEntry(version, action, subgraph, sdlHash, null, clock.millis(), actor)));
            return new Outcome(next, new RegistryResult.Applied(version, null, List.of()));
        }
        CompositionResult result = Composer.compose(sources(subgraphs));
        if (result instanceof CompositionResult.Failed failed) {
            return new Outcome(null, new RegistryResult.Refused(failed.errors(), List.of()));
        }
        CompositionResult.Composed composed = (CompositionResult.Composed) result;
        List<OperationFailure> broken = SchemaChecks.operations(composed.supergraph().apiSchema(), state.operations());
        if (!broken.isEmpty()) {
            // every registered (active) client version keeps working: a change that breaks one is refused
            return new Outcome(null, new RegistryResult.Refused(List.of(), broken));
        }
        String supergraphHash = Sha256.hex(composed.supergraphSdl());
        Supergraph before = supergraph(state);
        List<SchemaChange> changes = SchemaChecks.diff(before == null ? null : before.apiSchema(),
                composed.supergraph().apiSchema());
        RegistryState next = new RegistryState(version, subgraphs, composed.supergraphSdl(), supergraphHash,
                state.operations(), history(state, new HistoryEntry(version, action, subgraph, sdlHash, supergraphHash,
                clock.millis(), actor)));
        return new Outcome(next, new RegistryResult.Applied(version, supergraphHash, changes));
    }

    /** A computed change: the state to store (null: store nothing) and what to answer. */
    private record Outcome(RegistryState next, RegistryResult result) {
    }

    private RegistryResult change(java.util.function.Function<RegistryState, Outcome> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            RegistryState state = store.read();
            Outcome outcome = change.apply(state);
            if (outcome.next() == null || store.compareAndSet(state.version(), outcome.next())) {
                return outcome.result();
            }
        }
        throw new IllegalStateException("the registry kept changing under this update (" + MAX_ATTEMPTS + " attempts)");
    }

    /** The supergraph of {@code state}, read once per version (checks and publishes compare against it). */
    private Supergraph supergraph(RegistryState state) {
        Parsed current = parsed;
        if (current != null && current.version() == state.version()) {
            return current.supergraph();
        }
        Supergraph supergraph = state.supergraphSdl() == null ? null : SupergraphReader.read(state.supergraphSdl());
        parsed = new Parsed(state.version(), supergraph);
        return supergraph;
    }

    private static List<HistoryEntry> history(RegistryState state, HistoryEntry entry) {
        List<HistoryEntry> history = new ArrayList<>(state.history());
        history.add(entry);
        return history;
    }

    private static List<SubgraphSource> sources(Map<String, SubgraphRecord> subgraphs) {
        List<SubgraphSource> sources = new ArrayList<>();
        for (SubgraphRecord record : subgraphs.values()) {
            sources.add(new SubgraphSource(record.name(), record.routingUrl(), record.sdl()));
        }
        return sources;
    }
}
