package io.atrium.router.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Tracing.class);
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
        Map<String, String> own = normalized(properties);
        if (!enabled(own, env, system)) {
            return OFF;
        }
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    // the router exports traces only: no metrics or logs pipelines unless asked for; and OTLP over
                    // HTTP as the specification's default (the Java SDK's own default is grpc, not shipped here)
                    .addPropertiesSupplier(() -> Map.of("otel.service.name", "atrium-router",
                            "otel.exporter.otlp.protocol", "http/protobuf",
                            "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
                    .addPropertiesCustomizer(config -> own)
                    .disableShutdownHook() // closed with the router, which flushes what is pending
                    .build()
                    .getOpenTelemetrySdk();
        } catch (ConfigurationException | IllegalStateException e) { // a bad value; a protocol without its sender
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause(); // autoconfigure wraps the reason in "Unexpected configuration error"
            }
            throw new IllegalStateException("OpenTelemetry tracing is misconfigured (OTEL_* variables or otel.* "
                    + "properties): " + cause.getMessage(), e);
        }
        LOG.info("OpenTelemetry traces on: service {}, OTLP endpoint {}", serviceName(own, env, system),
                endpoint(own, env, system));
        return new Tracing(sdk);
    }

    /** On when an OTLP endpoint (for all signals or for traces) is set and the SDK is not disabled. */
    static boolean enabled(Map<String, String> own, Map<String, String> env, Function<String, String> system) {
        String disabled = value("otel.sdk.disabled", own, env, system);
        return endpoint(own, env, system) != null && !"true".equalsIgnoreCase(disabled == null ? null : disabled.trim());
    }

    private static String endpoint(Map<String, String> own, Map<String, String> env, Function<String, String> system) {
        String traces = value("otel.exporter.otlp.traces.endpoint", own, env, system);
        return traces != null ? traces : value("otel.exporter.otlp.endpoint", own, env, system);
    }

    private static String serviceName(Map<String, String> own, Map<String, String> env, Function<String, String> system) {
        String name = value("otel.service.name", own, env, system);
        return name == null ? "atrium-router" : name;
    }

    /** The router's own property, else the system property, else the environment variable; blank = unset. */
    private static String value(String key, Map<String, String> own, Map<String, String> env,
                                Function<String, String> system) {
        String[] sources = {own.get(key), system.apply(key), env.get(key.toUpperCase(Locale.ROOT).replace('.', '_'))};
        for (String value : sources) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** Keys as autoconfigure reads them: lower case, {@code -} as {@code .}, with the {@code otel.} prefix. */
    private static Map<String, String> normalized(Map<String, String> properties) {
        Map<String, String> out = new HashMap<>();
        properties.forEach((key, value) -> {
            String k = key.toLowerCase(Locale.ROOT).replace('-', '.');
            out.put(k.startsWith("otel.") ? k : "otel." + k, value);
        });
        return Map.copyOf(out);
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
        Context caller = propagator.extract(Context.root(), headers, HEADERS);
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

    private static final TextMapGetter<Function<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return List.of(); // the W3C propagators read their headers by name
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };
}
