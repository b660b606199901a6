package io.atrium.examples.orders;

import io.micronaut.serde.annotation.Serdeable;

/** One line of an order; {@code unitPrice} in cents, as the product was priced when ordered. */
@Serdeable
public record OrderLine(String upc, int quantity, int unitPrice) {
}
