package io.atrium.graphql;

/** The {@code errors[].extensions.code} values graphql-kit produces; one place for the whole module. */
public final class GraphQLErrorCodes {
    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED";
    public static final String GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED";
    public static final String OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String CSRF_PREVENTED = "CSRF_PREVENTED";
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    public static final String INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR";

    public static final String MAX_DEPTH_LIMIT = "MAX_DEPTH_LIMIT";
    public static final String MAX_HEIGHT_LIMIT = "MAX_HEIGHT_LIMIT";
    public static final String MAX_ALIASES_LIMIT = "MAX_ALIASES_LIMIT";
    public static final String MAX_ROOT_FIELDS_LIMIT = "MAX_ROOT_FIELDS_LIMIT";
    public static final String MAX_DIRECTIVES_LIMIT = "MAX_DIRECTIVES_LIMIT";
    public static final String MAX_TOKENS_LIMIT = "MAX_TOKENS_LIMIT";
    public static final String COST_ESTIMATED_TOO_EXPENSIVE = "COST_ESTIMATED_TOO_EXPENSIVE";
    /** A {@code @listSize(requireOneSlicingArgument: true)} field given none or several slicing arguments: HTTP 400. */
    public static final String COST_QUERY_PARSE_FAILURE = "COST_QUERY_PARSE_FAILURE";
    /** The caller's cost budget (demand_control.rate_limit) has not enough units left for this operation: HTTP 429. */
    public static final String COST_RATE_LIMITED = "COST_RATE_LIMITED";
    /** The cost budget's shared store is unreachable and the endpoint fails closed: HTTP 503. */
    public static final String COST_RATE_LIMIT_UNAVAILABLE = "COST_RATE_LIMIT_UNAVAILABLE";

    public static final String PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND";
    public static final String PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED";
    public static final String PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH";
    public static final String PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST";
    public static final String CANNOT_SEND_PQ_ID_AND_BODY = "CANNOT_SEND_PQ_ID_AND_BODY";
    public static final String QUERY_NOT_IN_SAFELIST = "QUERY_NOT_IN_SAFELIST";

    private GraphQLErrorCodes() {
    }

    // BFFs (graphql.bff)
    public static final String PERSISTED_QUERY_ID_REQUIRED = "PERSISTED_QUERY_ID_REQUIRED";
    public static final String APP_UPDATE_REQUIRED = "APP_UPDATE_REQUIRED";
    public static final String RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE";
    public static final String INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED";
    public static final String INTROSPECTION_MIXED = "INTROSPECTION_MIXED";
    public static final String SCHEMA_NOT_READY = "SCHEMA_NOT_READY";
    public static final String ROUTER_UNAVAILABLE = "ROUTER_UNAVAILABLE";
    /** A JSON array (a batch) sent to an endpoint whose {@code batching} is off (Apollo Router's code). */
    public static final String BATCHING_NOT_ENABLED = "BATCHING_NOT_ENABLED";
    /** A batch of no operation or of more than {@code batching.max_operations} (Apollo Router's code). */
    public static final String BATCH_LIMIT_EXCEEDED = "BATCH_LIMIT_EXCEEDED";
}
