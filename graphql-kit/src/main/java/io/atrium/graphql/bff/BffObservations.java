package io.atrium.graphql.bff;

import io.atrium.graphql.http.GraphQLHttpRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per request: the timer {@code atrium.bff.requests{bff, client, client_version, operation, status}} and one access
 * log line (logger {@code atrium.bff.access}: client, version, operation, status, bytes, duration; never variables).
 * Operation names come from registered operations or validated documents; names of unknown operations are recorded as
 * {@code unknown} so a client cannot grow the metric without bound.
 */
final class BffObservations {
    private static final Logger ACCESS = LoggerFactory.getLogger("atrium.bff.access");

    private final String bff;
    private final MeterRegistry registry;

    BffObservations(String bff, MeterRegistry registry) {
        this.bff = bff;
        this.registry = registry;
    }

    void record(GraphQLHttpRequest request, BffResult result, long nanos) {
        String client = tag(request.client().name());
        String version = tag(request.client().version());
        String operation = result.status() < 400 ? tag(request.operationName()) : "unknown";
        Timer.builder("atrium.bff.requests").tag("bff", bff).tag("client", client).tag("client_version", version)
                .tag("operation", operation).tag("status", Integer.toString(result.status()))
                .register(registry).record(Duration.ofNanos(nanos));
        if (ACCESS.isInfoEnabled()) {
            ACCESS.info("bff={} client={} version={} operation={} status={} bytes={} ms={}", bff, client, version,
                    operation, result.status(), result.body().length, nanos / 1_000_000);
        }
    }

    private static String tag(String value) {
        return value == null || value.isBlank() || value.length() > 64 ? "unknown" : value;
    }
}
