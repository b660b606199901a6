package io.atrium.router.compose;

import io.atrium.router.compose.internal.Composition;
import io.atrium.router.compose.internal.Satisfiability;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphException;
import io.atrium.router.supergraph.SupergraphReader;
import java.util.List;

/**
 * Composes Federation subgraphs into a join-spec supergraph, as Apollo's composition does for the same input, or
 * explains why they do not compose. Pure and deterministic: the same subgraphs (in any order) give the same SDL.
 */
public final class Composer {
    private Composer() {
    }

    public static CompositionResult compose(List<SubgraphSource> subgraphs) {
        if (subgraphs.isEmpty()) {
            return new CompositionResult.Failed(List.of(new CompositionError(ErrorCode.NO_QUERIES,
                    "No subgraphs to compose", null, 0, 0)));
        }
        Composition.Output output = Composition.run(subgraphs);
        if (!output.errors().isEmpty()) {
            return new CompositionResult.Failed(output.errors());
        }
        Supergraph supergraph;
        try {
            supergraph = SupergraphReader.read(output.sdl());
        } catch (SupergraphException e) {
            return new CompositionResult.Failed(List.of(new CompositionError(ErrorCode.SUPERGRAPH_NOT_SERVABLE,
                    "The composed supergraph cannot be served by this router: " + e.getMessage(), null, 0, 0)));
        }
        List<CompositionError> unsatisfiable = Satisfiability.check(supergraph);
        if (!unsatisfiable.isEmpty()) {
            return new CompositionResult.Failed(unsatisfiable);
        }
        return new CompositionResult.Composed(output.sdl(), supergraph);
    }
}
