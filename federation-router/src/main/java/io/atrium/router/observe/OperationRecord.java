package io.atrium.router.observe;

import io.atrium.graphql.GraphQLErrorCodes;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the router observed of one GraphQL request, filled in as the request goes through the pipeline (on one thread
 * at a time), then recorded once: the request meters and the {@link OperationLog} line.
 */
public final class OperationRecord {
    private final long startedAt = System.nanoTime();
    private final TraceContext trace;
    private String operationName;
    private String document;
    private String clientName;
    private String clientVersion;
    private int subgraphCalls;
    private boolean executed;
    private final Set<String> codes = new LinkedHashSet<>();

    public OperationRecord(TraceContext trace) {
        this.trace = trace;
    }

    public TraceContext trace() {
        return trace;
    }

    public void operation(String name, String documentText) {
        this.operationName = name;
        this.document = documentText;
    }

    public void client(String name, String version) {
        this.clientName = name;
        this.clientVersion = version;
    }

    public void subgraphCalls(int calls) {
        this.subgraphCalls = calls;
    }

    /** The error codes of a response body ({@code errors[].extensions.code}). */
    public void errors(Map<String, Object> body) {
        executed = body.containsKey("data"); // GraphQL over HTTP: a request error has no data entry
        if (body.get("errors") instanceof List<?> errors) {
            for (Object error : errors) {
                if (error instanceof Map<?, ?> e && e.get("extensions") instanceof Map<?, ?> ext && ext.get("code") != null) {
                    codes.add(String.valueOf(ext.get("code")));
                }
            }
        }
    }

    /** Records the request as answered with {@code status}: meters, then the log line. */
    public void finish(int status, RouterMetrics metrics) {
        long nanos = System.nanoTime() - startedAt;
        String outcome = outcome(status);
        metrics.request(operationName, clientName, outcome, refusal(), Duration.ofNanos(nanos));
        metrics.operations().log(new OperationLog.Entry(operationName, document, clientName, clientVersion,
                trace.traceId(), status, outcome, nanos, subgraphCalls, List.copyOf(codes)));
        if (trace.spans() != null) {
            trace.spans().finish(status, outcome, String.join(",", codes));
        }
    }

    /** {@code success}, {@code errors} (executed, with errors), {@code refused}, {@code request_error}, {@code unavailable}. */
    private String outcome(int status) {
        if (status == 401 || status == 403 || refusal() != null && !executed) {
            return "refused";
        }
        if (status >= 500) {
            return "unavailable";
        }
        if (!executed) {
            return "request_error";
        }
        return codes.isEmpty() ? "success" : "errors";
    }

    /** Which protection refused the operation, from its error codes; null when none did. */
    private String refusal() {
        for (String code : codes) {
            String reason = switch (code) {
                case GraphQLErrorCodes.MAX_DEPTH_LIMIT, GraphQLErrorCodes.MAX_HEIGHT_LIMIT, GraphQLErrorCodes.MAX_ALIASES_LIMIT,
                     GraphQLErrorCodes.MAX_ROOT_FIELDS_LIMIT, GraphQLErrorCodes.MAX_DIRECTIVES_LIMIT,
                     GraphQLErrorCodes.MAX_TOKENS_LIMIT -> "limits";
                case GraphQLErrorCodes.COST_ESTIMATED_TOO_EXPENSIVE -> "cost";
                case io.atrium.graphql.authz.Authorization.UNAUTHORIZED_FIELD_OR_TYPE -> "authorization";
                case GraphQLErrorCodes.UNAUTHENTICATED -> "identity";
                case GraphQLErrorCodes.PERSISTED_QUERY_NOT_IN_LIST, GraphQLErrorCodes.QUERY_NOT_IN_SAFELIST -> "trusted_documents";
                default -> null;
            };
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }
}
