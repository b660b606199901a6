package io.atrium.router.execute;

/** The {@code errors[].extensions.code} values this router produces; one place for the whole module. */
public final class ErrorCodes {
    public static final String GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED";
    public static final String GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED";
    public static final String BAD_USER_INPUT = "BAD_USER_INPUT";
    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE";
    public static final String QUERY_PLANNING_FAILED = "QUERY_PLANNING_FAILED";
    public static final String SUBGRAPH_REQUEST_FAILED = "SUBGRAPH_REQUEST_FAILED";
    /** The subgraph's circuit breaker is open: its fields are null without it being asked. */
    public static final String SUBGRAPH_CIRCUIT_OPEN = "SUBGRAPH_CIRCUIT_OPEN";
    public static final String DOWNSTREAM_SERVICE_ERROR = "DOWNSTREAM_SERVICE_ERROR";
    public static final String INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String CSRF_PREVENTED = "CSRF_PREVENTED";
    public static final String SUPERGRAPH_NOT_LOADED = "SUPERGRAPH_NOT_LOADED";
    public static final String INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR";

    private ErrorCodes() {
    }
}
