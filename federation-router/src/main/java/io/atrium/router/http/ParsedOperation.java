package io.atrium.router.http;

import graphql.language.Document;
import java.util.List;
import java.util.Map;

/** A parsed and validated document, or the GraphQL errors (with their code) that stopped it. */
record ParsedOperation(Document document, List<Map<String, Object>> errors) {
    ParsedOperation {
        errors = List.copyOf(errors);
    }

    boolean ok() {
        return errors.isEmpty();
    }
}
