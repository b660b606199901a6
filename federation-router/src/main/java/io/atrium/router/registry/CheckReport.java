package io.atrium.router.registry;

import io.atrium.router.compose.CompositionError;
import java.util.List;

/**
 * What a schema check found for a proposed change: composition errors, API schema changes, and registered operations
 * that would break. {@link #passed} is the verdict a CI pipeline acts on.
 *
 * @param allowBreaking breaking changes were accepted for this check (they are still listed)
 */
public record CheckReport(List<CompositionError> compositionErrors, List<SchemaChange> changes,
                          List<OperationFailure> brokenOperations, boolean allowBreaking) {

    public CheckReport {
        compositionErrors = List.copyOf(compositionErrors);
        changes = List.copyOf(changes);
        brokenOperations = List.copyOf(brokenOperations);
    }

    /** False on composition errors, on broken registered operations, and on breaking changes unless allowed. */
    public boolean passed() {
        return compositionErrors.isEmpty() && brokenOperations.isEmpty() && (allowBreaking || !hasBreakingChanges());
    }

    public boolean hasBreakingChanges() {
        return changes.stream().anyMatch(c -> c.level() == SchemaChange.Level.BREAKING);
    }
}
