package io.atrium.examples.orders;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * An order of the orders REST service: references a user (accounts subgraph id) and products
 * (upcs); {@code total} in cents; {@code createdAt} an ISO-8601 instant.
 */
@Serdeable
public record Order(String id, String userId, List<OrderLine> items, int total, String status, String createdAt) {

    public Order {
        items = List.copyOf(items);
    }
}
