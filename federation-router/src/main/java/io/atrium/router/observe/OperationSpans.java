package io.atrium.router.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The OpenTelemetry spans of one GraphQL request (only when tracing is on): the SERVER operation span, named and
 * attributed per the GraphQL semantic conventions once the operation is known, its phases as children, and one
 * CLIENT span per subgraph fetch whose context is what the subgraph receives in {@code traceparent} (and
 * {@code baggage}).
 *
 * @see Tracing#start
 */
public final class OperationSpans {
    static final String UNKNOWN_OPERATION = "GraphQL Operation";
    public static final String PARSE_VALIDATE = "graphql.parse_validate";
    public static final String PLAN = "graphql.plan";
    public static final String EXECUTE = "graphql.execute";
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("graphql.operation.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("graphql.operation.type");
    static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("atrium.operation.outcome");
    static final AttributeKey<String> ERROR_CODES = AttributeKey.stringKey("atrium.graphql.error_codes");
    static final AttributeKey<String> SUBGRAPH = AttributeKey.stringKey("atrium.subgraph.name");
    static final AttributeKey<String> SUBGRAPH_TRANSPORT = AttributeKey.stringKey("atrium.subgraph.transport");
    static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> SUBGRAPH_ERRORS = AttributeKey.longKey("atrium.subgraph.errors");
    static final AttributeKey<String> CONNECTOR_BACKEND = AttributeKey.stringKey("atrium.connector.backend");
    static final AttributeKey<String> CONNECTOR_COORDINATE = AttributeKey.stringKey("atrium.connector.coordinate");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("atrium.connector.attempts");

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Context parent;
    private final Span operation;

    OperationSpans(Tracer tracer, TextMapPropagator propagator, Context parent, Span operation) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.parent = parent;
        this.operation = operation;
    }

    /** The operation's SERVER span id (16 hex digits), which the request's log lines name. */
    public String spanId() {
        return operation.getSpanContext().getSpanId();
    }

    /** The operation's name (may be null) and type ({@code query}, {@code mutation}, {@code subscription}). */
    public void operation(String name, String type) {
        if (type != null) {
            operation.updateName(type); // the name is client-chosen, unbounded: an attribute only, per the conventions
            operation.setAttribute(OPERATION_TYPE, type);
        }
        if (name != null) {
            operation.setAttribute(OPERATION_NAME, name);
        }
    }

    /** A phase of the operation (parse and validate, plan, execute) under the current parent; the caller ends it. */
    public Span phase(String name) {
        return tracer.spanBuilder(name).setParent(parent).startSpan();
    }

    /** These spans with {@code span} as the parent of what starts next (the execute phase for its fetches). */
    public OperationSpans within(Span span) {
        return new OperationSpans(tracer, propagator, parent.with(span), operation);
    }

    /**
     * A CLIENT span for one fetch from {@code subgraph}, its context written into {@code headers} by the configured
     * propagators ({@code traceparent}, {@code baggage}).
     *
     * @param url the subgraph's URL, or null for a connector answered in-process
     */
    public Span fetch(String subgraph, java.net.URI url, Map<String, String> headers) {
        Span span = tracer.spanBuilder("fetch " + subgraph).setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAttribute(SUBGRAPH, subgraph)
                .setAttribute(SUBGRAPH_TRANSPORT, url == null ? "connector" : "http")
                .startSpan();
        if (url != null) {
            span.setAttribute(URL, url.toString());
        }
        inject(span, headers::put);
        return span;
    }

    /** Writes {@code span}'s context as request headers by the configured propagators (with the caller's baggage). */
    public void inject(Span span, java.util.function.BiConsumer<String, String> header) {
        propagator.inject(parent.with(span), header, HEADERS);
    }

    /**
     * A CLIENT span for one call a connector makes to its REST or gRPC backend (retries included), under the fetch.
     *
     * @param coordinate the connector's coordinate ({@code orders:Query.orders@connect[0]}), bounded by the schema
     */
    public Span backendCall(String subgraph, String backend, String coordinate) {
        return tracer.spanBuilder("call " + coordinate).setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAttribute(SUBGRAPH, subgraph)
                .setAttribute(CONNECTOR_BACKEND, backend)
                .setAttribute(CONNECTOR_COORDINATE, coordinate)
                .startSpan();
    }

    /** Ends a backend call span: its final status (0 when none came) and attempts; an error when it failed. */
    public static void called(Span span, int status, int attempts, Throwable failure) {
        span.setAttribute(ATTEMPTS, (long) attempts);
        fetched(span, status, 0, failure);
    }

    /**
     * Ends a fetch span: an error when the fetch failed, else with the subgraph's HTTP status and the number of GraphQL
     * errors it answered.
     */
    public static void fetched(Span span, int status, int errors, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            span.setStatus(StatusCode.ERROR, cause.getMessage() == null ? "" : cause.getMessage());
            span.setAttribute(ERROR_TYPE, cause.getClass().getName());
        } else {
            span.setAttribute(STATUS_CODE, (long) status);
            if (errors > 0) {
                span.setAttribute(SUBGRAPH_ERRORS, (long) errors);
            }
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end();
    }

    /** Ends the operation span with the response's status, outcome and error codes. */
    void finish(int status, String outcome, String errorCodes) {
        operation.setAttribute(STATUS_CODE, (long) status);
        operation.setAttribute(OUTCOME, outcome);
        if (!errorCodes.isEmpty()) {
            operation.setAttribute(ERROR_CODES, errorCodes);
        }
        if (status >= 500) {
            operation.setStatus(StatusCode.ERROR);
        }
        operation.end();
    }

    private static final TextMapSetter<java.util.function.BiConsumer<String, String>> HEADERS = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.accept(key, value);
        }
    };
}
