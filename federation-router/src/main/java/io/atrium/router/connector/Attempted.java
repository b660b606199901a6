package io.atrium.router.connector;

import io.atrium.policy.resilience.AttemptOutcome;

/**
 * One attempt of a backend call that produced an answer.
 *
 * @param outcome how the attempt ended as the resilience policies see it: {@code AttemptOutcome.response(status)}
 *                (an HTTP status; gRPC maps its status code, e.g. UNAVAILABLE → 503)
 * @param value   what the protocol read from the answer, whatever the status (the connector maps failures later)
 */
public record Attempted<T>(AttemptOutcome.Response outcome, T value) {

    public static <T> Attempted<T> of(int status, T value) {
        return new Attempted<>(AttemptOutcome.response(status), value);
    }
}
