package io.atrium.examples.seed;

/** A review of the reviews subgraph, written by a user about a product. */
public record Review(String id, String authorId, String productUpc, String body) {
}
