package io.atrium.examples.orders;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** One user's orders in a {@code GET /orders-by-user} answer: the user id asked for and that user's orders, oldest first. */
@Serdeable
public record UserOrders(String userId, List<Order> orders) {

    public UserOrders {
        orders = List.copyOf(orders);
    }
}
