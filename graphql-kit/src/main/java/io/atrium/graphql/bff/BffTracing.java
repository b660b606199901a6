package io.atrium.graphql.bff;

import io.atrium.graphql.http.HeaderLookup;
import io.atrium.policy.observability.OpenTelemetrySetup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A BFF's OpenTelemetry spans when tracing is configured ({@link OpenTelemetrySetup}; service {@code atrium-bff-<name>}):
 * per GraphQL request a SERVER span continuing the caller's W3C trace context (named {@code graphql <operation>} once
 * the operation is known), and a CLIENT span {@code router} around the call to the router, whose context is the
 * {@code traceparent} (and {@code tracestate}, baggage) the router receives instead of the caller's.
 */
final class BffTracing implements AutoCloseable {
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("graphql.operation.name");
    private static final AttributeKey<String> CLIENT = AttributeKey.stringKey("atrium.client.name");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private BffTracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk.getTracer("io.atrium.graphql.bff");
        this.propagator = sdk.getPropagators().getTextMapPropagator();
    }

    /** Null when tracing is off. */
    static BffTracing configure(String bffName, Map<String, String> properties) {
        OpenTelemetrySdk sdk = OpenTelemetrySetup.configure("atrium-bff-" + bffName, properties);
        return sdk == null ? null : new BffTracing(sdk);
    }

    Request start(HeaderLookup headers, String clientName) {
        Context caller = propagator.extract(Context.root(), headers::get, OpenTelemetrySetup.HEADERS);
        Span server = tracer.spanBuilder("graphql").setSpanKind(SpanKind.SERVER).setParent(caller).startSpan();
        if (clientName != null) {
            server.setAttribute(CLIENT, clientName);
        }
        return new Request(caller.with(server), server);
    }

    /** One request's spans. */
    final class Request {
        private final Context context;
        private final Span server;
        private Span router;
        private Map<String, String> injected;

        private Request(Context context, Span server) {
            this.context = context;
            this.server = server;
        }

        /**
         * The request headers the router receives: the caller's, with this BFF's trace context in place of theirs
         * (the CLIENT span starts when the forwarder first asks for it, i.e. when the router is called).
         */
        HeaderLookup toRouter(HeaderLookup headers) {
            return name -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("traceparent") && !lower.equals("tracestate") && !lower.equals("baggage")) {
                    return headers.get(name);
                }
                return routerContext().get(lower);
            };
        }

        private synchronized Map<String, String> routerContext() {
            if (injected == null) {
                router = tracer.spanBuilder("router").setSpanKind(SpanKind.CLIENT).setParent(context).startSpan();
                Map<String, String> carrier = new HashMap<>();
                propagator.inject(context.with(router), carrier, (map, key, value) -> map.put(key, value));
                injected = carrier;
            }
            return injected;
        }

        String traceId() {
            return server.getSpanContext().getTraceId();
        }

        String spanId() {
            return server.getSpanContext().getSpanId();
        }

        synchronized void end(BffResult result) {
            if (result.operation() != null) {
                server.updateName("graphql " + result.operation());
                server.setAttribute(OPERATION, result.operation());
            }
            server.setAttribute(STATUS, (long) result.status());
            Span call = router;
            if (call != null) {
                call.end();
            }
            if (result.status() >= 500) {
                server.setStatus(StatusCode.ERROR);
            }
            server.end();
        }
    }

    @Override
    public void close() {
        sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
}
