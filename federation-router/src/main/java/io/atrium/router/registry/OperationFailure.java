package io.atrium.router.registry;

import java.util.List;

/** A registered operation that would no longer validate against a new API schema, with the validation messages. */
public record OperationFailure(String client, String id, String name, List<String> errors) {
    public OperationFailure {
        errors = List.copyOf(errors);
    }
}
