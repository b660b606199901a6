package io.atrium.edge.observe;

import io.atrium.policy.observability.OpenTelemetrySetup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The edge's OpenTelemetry spans, when tracing is configured ({@link OpenTelemetrySetup}: an OTLP endpoint in
 * {@code OTEL_*} / {@code otel.*}; service {@code atrium-edge}). Per request a SERVER span {@code <METHOD> <route>}
 * continuing the client's W3C trace context, from the first byte to the end of the response, and, when the request
 * goes upstream, a CLIENT span {@code upstream <cluster>} whose context is the {@code traceparent} the upstream
 * receives (retries are inside it). Off (null), the data path keeps its own trace-context continuation and builds
 * nothing.
 */
public final class EdgeTracing implements AutoCloseable {
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> PROTOCOL = AttributeKey.stringKey("network.protocol.name");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("atrium.request_id");
    private static final AttributeKey<String> CLUSTER = AttributeKey.stringKey("atrium.cluster");
    private static final TextMapSetter<BiConsumer<String, String>> HEADERS = (carrier, key, value) -> carrier.accept(key, value);

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private EdgeTracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk.getTracer("io.atrium.edge");
        this.propagator = sdk.getPropagators().getTextMapPropagator();
    }

    /** Tracing from {@code otel.*} properties over the system properties and {@code OTEL_*}; null when off. */
    public static EdgeTracing configure(Map<String, String> properties) {
        OpenTelemetrySdk sdk = OpenTelemetrySetup.configure("atrium-edge", properties);
        return sdk == null ? null : new EdgeTracing(sdk);
    }

    /**
     * The spans of one exchange, its SERVER span started back at {@code startNanos} ({@link System#nanoTime()}).
     *
     * @param headers the client's request headers, read for {@code traceparent}, {@code tracestate} and baggage
     */
    public Exchange start(Function<String, String> headers, long startNanos, String method, String route, String path,
                          String protocol, String requestId) {
        Context caller = propagator.extract(Context.root(), headers, OpenTelemetrySetup.HEADERS);
        Span server = tracer.spanBuilder(method + " " + route).setSpanKind(SpanKind.SERVER).setParent(caller)
                .setStartTimestamp(epochNanos(startNanos), TimeUnit.NANOSECONDS)
                .setAttribute(METHOD, method).setAttribute(ROUTE, route).setAttribute(PATH, path)
                .setAttribute(PROTOCOL, protocol).setAttribute(REQUEST_ID, requestId).startSpan();
        return new Exchange(caller.with(server), server);
    }

    private static long epochNanos(long nanoTime) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return now - (System.nanoTime() - nanoTime);
    }

    /** One request's spans; used by its connection's I/O thread only. */
    public final class Exchange {
        private final Context context;
        private final Span server;
        private Span upstream;

        private Exchange(Context context, Span server) {
            this.context = context;
            this.server = server;
        }

        /** The SERVER span's id (16 hex digits), for the exchange's log lines. */
        public String spanId() {
            return server.getSpanContext().getSpanId();
        }

        /**
         * Starts the CLIENT span of the upstream call and writes its context (W3C {@code traceparent},
         * {@code tracestate}, baggage) through {@code header}.
         */
        public void upstream(String cluster, BiConsumer<String, String> header) {
            upstream = tracer.spanBuilder("upstream " + cluster).setSpanKind(SpanKind.CLIENT).setParent(context)
                    .setAttribute(CLUSTER, cluster).startSpan();
            propagator.inject(context.with(upstream), header, HEADERS);
        }

        /** Ends the spans with the exchange's status (0: no response was sent), an error from 500 on. */
        public void end(int status) {
            if (upstream != null) {
                end(upstream, status);
            }
            end(server, status);
        }

        private static void end(Span span, int status) {
            if (status > 0) {
                span.setAttribute(STATUS, (long) status);
            }
            if (status >= 500 || status == 0) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }

    /** Exports what is pending (bounded) and stops the SDK. */
    @Override
    public void close() {
        sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
}
