package io.atrium.examples.graphql;

/**
 * The inventory subgraph's shipping estimate, computed from the price and weight the router sends
 * in each representation ({@code @requires(fields: "price weight")}): free for expensive items
 * (price above 1000), otherwise half the weight, rounded half up.
 */
public final class ShippingRule {

    static final int FREE_SHIPPING_ABOVE_PRICE = 1000;

    private ShippingRule() {
    }

    /** The estimate, or null when price or weight is unknown (the field is nullable). */
    public static Integer estimate(Integer price, Integer weight) {
        if (price == null || weight == null) {
            return null;
        }
        if (price > FREE_SHIPPING_ABOVE_PRICE) {
            return 0;
        }
        return Math.floorDiv(weight + 1, 2);
    }
}
