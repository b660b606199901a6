package io.atrium.router.supergraph;

/** A supergraph SDL that cannot be served; the message names what is wrong. */
public final class SupergraphException extends RuntimeException {
    public SupergraphException(String message) {
        super(message);
    }

    public SupergraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
