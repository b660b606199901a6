package io.atrium.policy.cache;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** HTTP dates (RFC 9110 §5.6.7, IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}). */
final class HttpDates {

    /** Returned for a missing or malformed date. */
    static final long INVALID = Long.MIN_VALUE;

    private HttpDates() {
    }

    /** Epoch milliseconds of {@code value}, or {@link #INVALID}. */
    static long parse(String value) {
        if (value == null || value.isBlank()) {
            return INVALID;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return INVALID;
        }
    }
}
