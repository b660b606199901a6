package io.atrium.edge.proxy.transform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outcomes of a route's transformations, {@code atrium.policy.transform.<outcome>} tagged {@code route} and
 * {@code enforced} like every policy's counters. Registered at load; the data path only increments.
 */
public final class TransformCounters {

    final Counter request;
    final Counter requestReported;
    final Counter pathUnmatched;
    final Counter response;
    final Counter responseReported;
    public final Counter body;
    public final Counter bodyInvalid;
    public final Counter bodyTooLargePassed;
    public final Counter bodyTooLargeRejected;
    public final Counter bodyEncoded;
    public final Counter bodyStreamed;

    TransformCounters(MeterRegistry registry, String route, boolean enforce) {
        request = counter(registry, "request_transformed", route, enforce);
        requestReported = counter(registry, "request_reported", route, enforce);
        pathUnmatched = counter(registry, "path_unmatched", route, enforce);
        response = counter(registry, "response_transformed", route, enforce);
        responseReported = counter(registry, "response_reported", route, enforce);
        body = counter(registry, "body_transformed", route, enforce);
        bodyInvalid = counter(registry, "body_invalid_json", route, enforce);
        bodyTooLargePassed = counter(registry, "body_too_large_passed", route, enforce);
        bodyTooLargeRejected = counter(registry, "body_too_large_rejected", route, enforce);
        bodyEncoded = counter(registry, "body_encoded_skipped", route, enforce);
        bodyStreamed = counter(registry, "body_streamed", route, enforce);
    }

    private static Counter counter(MeterRegistry registry, String outcome, String route, boolean enforce) {
        return Counter.builder("atrium.policy.transform." + outcome).tag("route", route).tag("enforced", Boolean.toString(enforce))
                .register(registry);
    }
}
