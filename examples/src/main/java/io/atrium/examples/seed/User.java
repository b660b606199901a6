package io.atrium.examples.seed;

/** An account of the accounts subgraph; {@code birthday} is the birth date as days since 1970-01-01. */
public record User(String id, String name, String username, int birthday) {
}
