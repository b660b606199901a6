package io.atrium.graphql.config;

/** A graphql-kit config block is wrong; the message starts with the key's path. */
public final class GraphQLConfigException extends RuntimeException {
    public GraphQLConfigException(String message) {
        super(message);
    }
}
