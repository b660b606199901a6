package io.atrium.graphql.bff;

import io.atrium.graphql.http.GraphQLHttpRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per request: the timer {@code atrium.bff.requests{bff, client, client_version, operation, status}} and one access
 * log line (logger {@code atrium.bff.access}: client, version, operation, status, bytes, duration; never variables).
 * Operation names are those of the operation that ran (registered, or validated against the view); a request refused
 * before that is recorded as {@code unknown}, so unknown ids or junk names never grow the metric.
 */
final class BffObservations {
    private static final Logger ACCESS = LoggerFactory.getLogger("atrium.bff.access");

    /** Timers looked up by their tag values without building tags per request (the registry's own lookup does). */
    private static final int MAX_CACHED_TIMERS = 4096;

    private record TimerKey(String client, String version, String operation, int status) {
    }

    private final String bff;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    BffObservations(String bff, MeterRegistry registry) {
        this.bff = bff;
        this.registry = registry;
    }

    /** @param traceId the request's trace id (its span's, else the caller's {@code traceparent}'s), or null */
    void record(GraphQLHttpRequest request, BffResult result, long nanos, String traceId) {
        String client = tag(request.client().name());
        String version = tag(request.client().version());
        String operation = tag(result.operation());
        TimerKey key = new TimerKey(client, version, operation, result.status());
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = Timer.builder("atrium.bff.requests").tag("bff", bff).tag("client", client)
                    .tag("client_version", version).tag("operation", operation)
                    .tag("status", Integer.toString(result.status())).register(registry);
            if (timers.size() < MAX_CACHED_TIMERS) {
                timers.put(key, timer);
            }
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
        if (ACCESS.isInfoEnabled()) {
            ACCESS.info("bff={} client={} version={} operation={} status={} bytes={} ms={} trace_id={}", bff, client,
                    version, operation, result.status(), result.length(), nanos / 1_000_000,
                    traceId == null ? "-" : traceId);
        }
    }

    private static String tag(String value) {
        return value == null || value.isBlank() || value.length() > 64 ? "unknown" : value;
    }
}
