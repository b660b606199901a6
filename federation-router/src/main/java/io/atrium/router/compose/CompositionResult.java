package io.atrium.router.compose;

import io.atrium.router.supergraph.Supergraph;
import java.util.List;

/** What {@link Composer#compose} answers: a supergraph, or the errors that stop one from existing. */
public sealed interface CompositionResult {

    /**
     * @param supergraphSdl the join-spec supergraph, as {@code rover supergraph compose} would print it
     * @param supergraph    the same, read by the router's {@link io.atrium.router.supergraph.SupergraphReader}
     */
    record Composed(String supergraphSdl, Supergraph supergraph) implements CompositionResult {
    }

    /** @param errors never empty, in a deterministic order (subgraph order, then position) */
    record Failed(List<CompositionError> errors) implements CompositionResult {
        public Failed {
            errors = List.copyOf(errors);
        }
    }
}
