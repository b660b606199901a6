package io.atrium.examples.orders;

import io.micronaut.serde.annotation.Serdeable;

/** One invalid field of a request body, named by its JSON path ({@code items[0].quantity}). */
@Serdeable
public record FieldError(String field, String message) {
}
