package io.atrium.graphql.document;

import graphql.language.Document;
import graphql.language.OperationDefinition;

/** Picks the operation a request runs (GraphQL spec "GetOperation"). */
public final class OperationSelector {
    private OperationSelector() {
    }

    /** The operation named {@code operationName}, or the only one when it is null; null with {@code problem} set otherwise. */
    public static Selection select(Document document, String operationName) {
        OperationDefinition found = null;
        int count = 0;
        for (var definition : document.getDefinitions()) {
            if (definition instanceof OperationDefinition operation) {
                count++;
                if (operationName == null ? found == null : operationName.equals(operation.getName())) {
                    found = operation;
                }
            }
        }
        if (operationName == null && count > 1) {
            return new Selection(null, "the document has " + count + " operations: name the one to run in 'operationName'");
        }
        if (found == null) {
            return new Selection(null, operationName == null ? "the document has no operation"
                    : "the document has no operation named '" + operationName + "'");
        }
        return new Selection(found, null);
    }

    /** The selected operation, or why none could be selected. */
    public record Selection(OperationDefinition operation, String problem) {
        public boolean ok() {
            return operation != null;
        }
    }
}
