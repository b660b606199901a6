package io.atrium.graphql.contract;

/** The view of a supergraph cannot be built (its filtered schema is not valid); the current view stays. */
public final class ContractException extends RuntimeException {
    public ContractException(String message) {
        super(message, null, false, false);
    }
}
