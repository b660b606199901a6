package io.atrium.edge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on how long client connections may hold the edge without progress ({@code limits.*}).
 *
 * @param idle {@code limits.idle_timeout}, default 60 s: an HTTP/1.1 keep-alive connection with no exchange in progress
 *             and no byte of a next request is closed after this; an HTTP/2 connection without open streams that long
 *             gets GOAWAY and is closed
 * @param requestHeader {@code limits.request_header_timeout}, default 10 s: a request head must be complete this long
 *                      after the connection was accepted or, on a kept-alive connection, after its first byte arrived
 *                      (else {@code 408 REQUEST_TIMEOUT} and the connection is closed)
 * @param requestBody {@code limits.request_body_timeout}, default 30 s: longest pause between two reads of a request
 *                    body while the edge is reading it (a paused read under backpressure does not count)
 * @param responseWrite {@code limits.response_write_timeout}, default 60 s (NGINX's {@code send_timeout}): longest
 *                      time a client may leave the edge's response bytes untaken — its connection (HTTP/2: its stream)
 *                      stays unwritable with nothing drained — before it is closed, and the upstream connection with it
 */
public record ClientTimeouts(Duration idle, Duration requestHeader, Duration requestBody, Duration responseWrite) {

    public static final ClientTimeouts DEFAULTS = new ClientTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    public ClientTimeouts {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(requestHeader, "requestHeader");
        Objects.requireNonNull(requestBody, "requestBody");
        Objects.requireNonNull(responseWrite, "responseWrite");
    }
}
