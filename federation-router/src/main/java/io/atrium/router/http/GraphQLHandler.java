package io.atrium.router.http;

import graphql.ExecutionInput;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.execution.CoercedVariables;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import io.atrium.router.execute.ErrorCodes;
import io.atrium.router.execute.ExecutionRequest;
import io.atrium.router.plan.PlanningException;
import io.atrium.router.plan.QueryPlan;
import io.atrium.router.plan.QueryPlanner;
import io.atrium.router.plan.ResponseShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The router's request pipeline, independent of the HTTP server: parse + validate (cached), operation selection,
 * variable coercion, plan (cached), introspection, execution.
 */
public final class GraphQLHandler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GraphQLHandler.class);
    private final boolean introspectionEnabled;

    public GraphQLHandler(boolean introspectionEnabled) {
        this.introspectionEnabled = introspectionEnabled;
    }

    public CompletionStage<GraphQLOutcome> handle(LiveSupergraph live, GraphQLRequest request) {
        if (request.query() == null || request.query().isBlank()) {
            return requestError(ErrorCodes.BAD_REQUEST, "the request has no 'query'", null);
        }
        ParsedOperation parsed = live.documents().get(request.query(), q -> parse(live, q));
        if (!parsed.ok()) {
            return CompletableFuture.completedFuture(new GraphQLOutcome(GraphQLOutcome.Kind.REQUEST_ERROR,
                    Map.of("errors", parsed.errors())));
        }
        Document document = parsed.document();
        OperationDefinition operation;
        try {
            operation = QueryPlanner.selectOperation(document, request.operationName());
        } catch (PlanningException e) {
            return requestError(ErrorCodes.OPERATION_RESOLUTION_FAILURE, e.getMessage(), null);
        }
        if (request.get() && operation.getOperation() != OperationDefinition.Operation.QUERY) {
            return CompletableFuture.completedFuture(new GraphQLOutcome(GraphQLOutcome.Kind.METHOD_NOT_ALLOWED,
                    Map.of("errors", List.of(error("only queries may be sent with GET; use POST for "
                            + operation.getOperation().name().toLowerCase(), ErrorCodes.METHOD_NOT_ALLOWED, null)))));
        }
        Map<String, Object> effective;
        try {
            CoercedVariables coerced = ValuesResolver.coerceVariableValues(live.supergraph().apiSchema(),
                    operation.getVariableDefinitions(), RawVariables.of(request.variables()),
                    GraphQLContext.getDefault(), Locale.ENGLISH);
            effective = coerced.toMap();
        } catch (RuntimeException e) {
            String message = e instanceof GraphQLError g ? g.getMessage() : e.getMessage();
            return requestError(ErrorCodes.BAD_USER_INPUT, message, null);
        }
        QueryPlan plan;
        try {
            var key = new LiveSupergraph.PlanKey(request.query(), request.operationName(), request.overrideLabels());
            plan = live.plans().get(key, k -> QueryPlanner.plan(live.supergraph(), document, k.operationName(), k.labels()));
        } catch (PlanningException e) {
            return requestError(ErrorCodes.QUERY_PLANNING_FAILED, e.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.error("planning failed unexpectedly for operation {}", request.operationName(), e);
            return requestError(ErrorCodes.QUERY_PLANNING_FAILED,
                    "the router could not plan this operation (internal error; see the router log)", null);
        }
        Map<String, Object> introspection = Map.of();
        if (hasIntrospection(plan.shape())) {
            if (!introspectionEnabled) {
                return requestError(ErrorCodes.INTROSPECTION_DISABLED, "introspection is disabled on this router", null);
            }
            introspection = introspect(live, request);
        }
        return live.executor().execute(new ExecutionRequest(live.supergraph(), plan, request.variables(), effective,
                        introspection, request.forwardedHeaders()))
                .thenApply(result -> {
                    Map<String, Object> body = result.toJson();
                    if (request.wantsQueryPlan()) {
                        body.put("extensions", Map.of("queryPlan", plan.toText()));
                    }
                    return new GraphQLOutcome(GraphQLOutcome.Kind.EXECUTED, body);
                })
                .exceptionally(failure -> {
                    LOG.error("execution failed unexpectedly", failure);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("data", null);
                    body.put("errors", List.of(error("the router failed to execute this operation (internal error; "
                            + "see the router log)", ErrorCodes.INTERNAL_SERVER_ERROR, null)));
                    return new GraphQLOutcome(GraphQLOutcome.Kind.EXECUTED, body);
                });
    }

    private static ParsedOperation parse(LiveSupergraph live, String query) {
        Document document;
        try {
            document = Parser.parse(query);
        } catch (InvalidSyntaxException e) {
            return new ParsedOperation(null, List.of(error(e.getMessage(), ErrorCodes.GRAPHQL_PARSE_FAILED,
                    e.getLocation())));
        }
        List<ValidationError> errors = new Validator().validateDocument(live.supergraph().apiSchema(), document,
                Locale.ENGLISH);
        if (errors.isEmpty()) {
            return new ParsedOperation(document, List.of());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ValidationError error : errors) {
            out.add(error(error.getDescription() != null ? error.getDescription() : error.getMessage(),
                    ErrorCodes.GRAPHQL_VALIDATION_FAILED,
                    error.getLocations() == null || error.getLocations().isEmpty() ? null : error.getLocations().getFirst()));
        }
        return new ParsedOperation(null, out);
    }

    private static boolean hasIntrospection(ResponseShape shape) {
        return hasIntrospection(shape.selections());
    }

    private static boolean hasIntrospection(List<ResponseShape.Selection> selections) {
        for (ResponseShape.Selection selection : selections) {
            if (selection instanceof ResponseShape.Field field && field.introspection()) {
                return true;
            }
            if (selection instanceof ResponseShape.Fragment fragment && hasIntrospection(fragment.selections())) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> introspect(LiveSupergraph live, GraphQLRequest request) {
        var result = live.introspection().execute(ExecutionInput.newExecutionInput()
                .query(request.query())
                .operationName(request.operationName())
                .variables(request.variables())
                .build());
        Object data = result.getData();
        return data instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static CompletionStage<GraphQLOutcome> requestError(String code, String message, SourceLocation location) {
        return CompletableFuture.completedFuture(new GraphQLOutcome(GraphQLOutcome.Kind.REQUEST_ERROR,
                Map.of("errors", List.of(error(message, code, location)))));
    }

    static Map<String, Object> error(String message, String code, SourceLocation location) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        if (location != null && location.getLine() > 0) {
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("line", location.getLine());
            at.put("column", location.getColumn());
            error.put("locations", List.of(at));
        }
        error.put("extensions", Map.of("code", code));
        return error;
    }
}
