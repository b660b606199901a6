package io.atrium.router.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.atrium.policy.observability.OpenTelemetrySetup;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One router's OpenTelemetry traces: an SDK of its own (never the global one: several routers share a JVM in tests),
 * configured by the standard {@code OTEL_*} environment variables and {@code otel.*} properties through the SDK's
 * autoconfigure module — or nothing at all. Tracing is on only when an OTLP endpoint is configured
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) and the SDK is not disabled;
 * off, no SDK is built, no thread started, and a request costs what it cost before (its {@link TraceContext} has no
 * spans).
 */
public final class Tracing implements AutoCloseable {
    private static final Tracing OFF = new Tracing(null);
    static final String INSTRUMENTATION = "io.atrium.router";

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private Tracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk == null ? null : sdk.getTracer(INSTRUMENTATION);
        this.propagator = sdk == null ? null : sdk.getPropagators().getTextMapPropagator();
    }

    public static Tracing off() {
        return OFF;
    }

    /**
     * Tracing from the environment variables and system properties, with {@code properties} ({@code otel.*} keys,
     * e.g. one router's own) over both; off unless an OTLP endpoint results.
     */
    public static Tracing configure(Map<String, String> properties) {
        return configure(properties, System.getenv(), System.getProperties()::getProperty);
    }

    static Tracing configure(Map<String, String> properties, Map<String, String> env, Function<String, String> system) {
        OpenTelemetrySdk sdk = OpenTelemetrySetup.configure("atrium-router", properties, env, system);
        return sdk == null ? OFF : new Tracing(sdk);
    }

    /** On when an OTLP endpoint (for all signals or for traces) is set and the SDK is not disabled. */
    static boolean enabled(Map<String, String> own, Map<String, String> env, Function<String, String> system) {
        return OpenTelemetrySetup.enabled(own, env, system);
    }

    public boolean enabled() {
        return sdk != null;
    }

    /**
     * The trace of one GraphQL request: off, the caller's {@code traceparent} continued (or a new trace); on, a
     * SERVER span continuing the caller's context (W3C trace context and baggage, by the configured propagators),
     * whose ids are the request's trace.
     */
    public TraceContext start(Function<String, String> headers) {
        if (sdk == null) {
            return TraceContext.continueOrStart(headers.apply(TraceContext.HEADER));
        }
        Context caller = propagator.extract(Context.root(), headers, OpenTelemetrySetup.HEADERS);
        Span operation = tracer.spanBuilder(OperationSpans.UNKNOWN_OPERATION).setSpanKind(SpanKind.SERVER)
                .setParent(caller).startSpan();
        SpanContext callerSpan = Span.fromContext(caller).getSpanContext();
        SpanContext own = operation.getSpanContext();
        return new TraceContext(own.getTraceId(), callerSpan.isValid() ? callerSpan.getSpanId() : null,
                own.getTraceFlags().asHex(), new OperationSpans(tracer, propagator, caller.with(operation), operation));
    }

    /** Ends the SDK after exporting what is pending (bounded). */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
