package io.atrium.router.compose.internal;

import io.atrium.router.compose.CompositionError;
import io.atrium.router.supergraph.Supergraph;
import java.util.List;

/** Placeholder until the check is written. */
public final class Satisfiability {
    private Satisfiability() {
    }

    public static List<CompositionError> check(Supergraph supergraph) {
        return List.of();
    }
}
