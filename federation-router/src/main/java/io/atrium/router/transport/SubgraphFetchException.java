package io.atrium.router.transport;

/** The subgraph could not be reached, timed out, or answered something that is not a GraphQL response. */
public final class SubgraphFetchException extends RuntimeException {
    public SubgraphFetchException(String message) {
        super(message);
    }

    public SubgraphFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
