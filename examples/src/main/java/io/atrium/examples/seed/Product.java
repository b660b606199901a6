package io.atrium.examples.seed;

/** A catalog entry of the products subgraph; price in cents, weight in grams. */
public record Product(String upc, String name, int price, int weight) {
}
