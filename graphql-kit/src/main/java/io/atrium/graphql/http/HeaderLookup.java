package io.atrium.graphql.http;

/** A request header by (case-insensitive) name, or null: how an endpoint's server hands its headers to the kit. */
@FunctionalInterface
public interface HeaderLookup {
    String get(String name);

    default boolean contains(String name) {
        return get(name) != null;
    }
}
