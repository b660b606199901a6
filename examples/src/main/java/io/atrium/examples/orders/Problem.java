package io.atrium.examples.orders;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** RFC 9457 problem documents of the orders service. */
final class Problem {

    static final String CONTENT_TYPE = "application/problem+json";
    static final String NOT_FOUND = "urn:atrium:examples:orders:not-found";
    static final String MALFORMED_BODY = "urn:atrium:examples:orders:malformed-body";
    static final String INVALID_ORDER = "urn:atrium:examples:orders:invalid-order";
    static final String BAD_QUERY = "urn:atrium:examples:orders:bad-query";

    private Problem() {
    }

    @Serdeable
    record Document(String type, String title, int status, String detail, String instance) {
    }

    @Serdeable
    record ValidationDocument(String type, String title, int status, String detail, String instance,
            List<FieldError> errors) {

        ValidationDocument {
            errors = List.copyOf(errors);
        }
    }
}
