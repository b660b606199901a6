package io.atrium.router.registry;

import io.atrium.router.compose.CompositionError;
import java.util.List;

/** What a change of the registry (publish, delete, operations) answered. */
public sealed interface RegistryResult {

    /** The change is live at {@code version}; {@code changes} is how the API schema changed with it. */
    record Applied(long version, String supergraphHash, List<SchemaChange> changes) implements RegistryResult {
        public Applied {
            changes = List.copyOf(changes);
        }
    }

    /** The same subgraph (URL and SDL) was already registered: nothing changed. */
    record Unchanged(long version) implements RegistryResult {
    }

    /** The change would break composition (or registered operations, for a manifest): nothing changed. */
    record Refused(List<CompositionError> errors, List<OperationFailure> brokenOperations) implements RegistryResult {
        public Refused {
            errors = List.copyOf(errors);
            brokenOperations = List.copyOf(brokenOperations);
        }
    }

    /** No subgraph of that name is registered. */
    record NotFound(String name) implements RegistryResult {
    }
}
