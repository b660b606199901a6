package io.atrium.router.http;

import io.atrium.router.lifecycle.LiveSupergraph;
import graphql.ExecutionInput;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.execution.CoercedVariables;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.GraphQLErrors;
import io.atrium.graphql.authz.Authorization;
import io.atrium.graphql.cache.CacheControlMerge;
import io.atrium.graphql.authz.AuthorizationResult;
import io.atrium.graphql.cost.CostConfig;
import io.atrium.graphql.cost.CostEstimator;
import io.atrium.graphql.cost.CostRateLimit;
import io.atrium.graphql.cost.DemandControl;
import io.atrium.graphql.document.OperationSelector;
import io.atrium.graphql.document.ParsedDocument;
import io.atrium.graphql.limits.LimitVerdict;
import io.atrium.graphql.limits.LimitsConfig;
import io.atrium.graphql.limits.LimitsPolicy;
import io.atrium.router.config.CacheControlConfig;
import io.atrium.router.execute.ErrorCodes;
import io.atrium.router.observe.OperationSpans;
import io.atrium.router.observe.RouterMetrics;
import io.atrium.router.observe.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.micrometer.core.instrument.Metrics;
import io.atrium.router.execute.ExecutionRequest;
import io.atrium.router.json.Json;
import io.atrium.router.json.RawJson;
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
import java.util.concurrent.Executor;

/**
 * The router's request pipeline, independent of the HTTP server: parse (cached, graphql-kit), operation selection,
 * operation limits (before validation and planning, so a refused operation costs a few comparisons), validation
 * (cached with the document), authorization, variable coercion, demand control, plan (cached), introspection,
 * execution.
 */
public final class GraphQLHandler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GraphQLHandler.class);
    private final boolean introspectionEnabled;
    private final LimitsPolicy limits;
    private final DemandControl demandControl;
    private final CostRateLimit costBudget;
    private final RouterMetrics metrics;
    private final CacheControlConfig cacheControl;

    public GraphQLHandler(boolean introspectionEnabled) {
        this(introspectionEnabled, new LimitsPolicy(LimitsConfig.DEFAULTS, Metrics.globalRegistry),
                new DemandControl(CostConfig.DEFAULTS, Metrics.globalRegistry));
    }

    public GraphQLHandler(boolean introspectionEnabled, LimitsPolicy limits, DemandControl demandControl) {
        this(introspectionEnabled, limits, demandControl, null);
    }

    /** @param metrics cache hits, planning and execution times; null = not measured */
    public GraphQLHandler(boolean introspectionEnabled, LimitsPolicy limits, DemandControl demandControl,
                          RouterMetrics metrics) {
        this(introspectionEnabled, limits, demandControl, metrics, CacheControlConfig.DEFAULT, null);
    }

    /**
     * @param cacheControl how an executed answer's {@code Cache-Control} is computed
     * @param costBudget   demand control's per-caller cost budget; null = none
     */
    public GraphQLHandler(boolean introspectionEnabled, LimitsPolicy limits, DemandControl demandControl,
                          RouterMetrics metrics, CacheControlConfig cacheControl, CostRateLimit costBudget) {
        this.introspectionEnabled = introspectionEnabled;
        this.limits = limits;
        this.demandControl = demandControl;
        this.metrics = metrics;
        this.cacheControl = cacheControl;
        this.costBudget = costBudget;
    }

    /** What the checks before planning make of a request. */
    private sealed interface Admission {
    }

    /**
     * Let through: the operation to plan (after authorization) and its coerced variables; with demand control, the
     * operation that was costed and its estimated cost (else null and -1).
     */
    private record Admitted(AuthorizationResult authz, Map<String, Object> variables, OperationDefinition costed,
                            long estimated, boolean query) implements Admission {
        Document planned() {
            return authz.document();
        }
    }

    /** Answered without planning (refused, or nothing left to fetch). */
    private record Answered(GraphQLOutcome outcome) implements Admission {
    }

    public CompletionStage<GraphQLOutcome> handle(LiveSupergraph live, GraphQLRequest request) {
        return handle(live, request, Runnable::run);
    }

    /**
     * Admits, plans and executes one request.
     *
     * @param loop where to go on when a check finished elsewhere (the cost budget in Redis): the connection's event
     *             loop, where its subgraph connections live
     */
    public CompletionStage<GraphQLOutcome> handle(LiveSupergraph live, GraphQLRequest request, Executor loop) {
        OperationSpans spans = spans(request);
        Span admitting = spans == null ? null : spans.phase(OperationSpans.PARSE_VALIDATE);
        Admission admission;
        try {
            admission = admit(live, request, spans);
        } finally {
            if (admitting != null) {
                admitting.end();
            }
        }
        if (admission instanceof Answered answered) {
            return CompletableFuture.completedFuture(answered.outcome());
        }
        Admitted admitted = (Admitted) admission;
        if (costBudget == null || admitted.estimated() < 0) {
            return run(live, request, admitted);
        }
        CompletionStage<CostRateLimit.Verdict> spent = costBudget.spend(request.clientName(), request.identity(),
                admitted.estimated());
        java.util.function.Function<CostRateLimit.Verdict, CompletionStage<GraphQLOutcome>> next = verdict -> {
            if (verdict instanceof CostRateLimit.Refused refused) {
                GraphQLOutcome.Kind kind = refused.status() == 429 ? GraphQLOutcome.Kind.RATE_LIMITED
                        : GraphQLOutcome.Kind.UNAVAILABLE;
                return CompletableFuture.completedFuture(new GraphQLOutcome(kind, Map.of("errors",
                        List.of(refused.error())), 0, refused.headers()));
            }
            return run(live, request, admitted).thenApply(outcome -> outcome.withHeaders(verdict.headers()));
        };
        return spent.toCompletableFuture().isDone() ? spent.thenCompose(next) : spent.thenComposeAsync(next, loop);
    }

    /** Plans (cached) and executes an admitted request. */
    private CompletionStage<GraphQLOutcome> run(LiveSupergraph live, GraphQLRequest request, Admitted admitted) {
        AuthorizationResult authz = admitted.authz();
        Document planned = admitted.planned();
        Map<String, Object> effective = admitted.variables();
        QueryPlan plan;
        OperationSpans spans = spans(request);
        Span planning = spans == null ? null : spans.phase(OperationSpans.PLAN);
        try {
            var key = new LiveSupergraph.PlanKey(request.query(), request.operationName(), request.overrideLabels(),
                    authz.signature());
            plan = metrics == null ? null : live.plans().getIfPresent(key);
            if (metrics != null) {
                metrics.planCache(plan != null);
            }
            if (plan == null) {
                long start = System.nanoTime();
                plan = live.plans().get(key, k -> QueryPlanner.plan(live.supergraph(), planned, k.operationName(), k.labels()));
                if (metrics != null) {
                    metrics.planned(System.nanoTime() - start);
                }
            }
        } catch (PlanningException e) {
            return requestError(ErrorCodes.QUERY_PLANNING_FAILED, e.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.error("planning failed unexpectedly for operation {}", request.operationName(), e);
            return requestError(ErrorCodes.QUERY_PLANNING_FAILED,
                    "the router could not plan this operation (internal error; see the router log)", null);
        } finally {
            if (planning != null) {
                planning.end();
            }
        }
        Map<String, Object> introspection = Map.of();
        if (hasIntrospection(plan.shape())) {
            if (!introspectionEnabled) {
                return requestError(ErrorCodes.INTROSPECTION_DISABLED, "introspection is disabled on this router", null);
            }
            introspection = introspect(live, request);
        }
        long executionStart = System.nanoTime();
        QueryPlan executed = plan;
        boolean cacheable = cacheControl.enabled() && admitted.query();
        Span executing = spans == null ? null : spans.phase(OperationSpans.EXECUTE);
        TraceContext trace = executing == null ? request.trace() : request.trace().withSpans(spans.within(executing));
        CompletionStage<io.atrium.router.execute.ExecutionResult> execution = live.executor().execute(new ExecutionRequest(
                live.supergraph(), plan, request.variables(), effective, introspection, request.forwardedHeaders(), trace,
                cacheable, request.sharedFetches()));
        if (executing != null) {
            execution = execution.whenComplete((result, failure) -> executing.end());
        }
        return execution
                .thenApply(result -> {
                    if (metrics != null) {
                        metrics.executed(System.nanoTime() - executionStart);
                    }
                    Map<String, Object> body = authz.filtered() ? withAuthorizationNulls(result.toJson(), authz)
                            : result.toJson();
                    Map<String, Object> extensions = new LinkedHashMap<>();
                    if (request.wantsQueryPlan()) {
                        extensions.put("queryPlan", executed.toText());
                    }
                    if (admitted.estimated() >= 0) {
                        Map<String, Object> cost = cost(live, admitted, body.get("data"));
                        if (cost != null) {
                            extensions.put("cost", cost);
                        }
                    }
                    if (!extensions.isEmpty()) {
                        body.put("extensions", extensions);
                    }
                    return new GraphQLOutcome(GraphQLOutcome.Kind.EXECUTED, body, result.subgraphCalls(),
                            cacheable ? cacheControl(body, result, request.personal()) : null);
                })
                .exceptionally(failure -> {
                    try (var logs = request.trace() == null ? null : request.trace().logScope()) {
                        LOG.error("execution failed unexpectedly", failure);
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("data", null);
                    body.put("errors", List.of(error("the router failed to execute this operation (internal error; "
                            + "see the router log)", ErrorCodes.INTERNAL_SERVER_ERROR, null)));
                    return new GraphQLOutcome(GraphQLOutcome.Kind.EXECUTED, body);
                });
    }

    /**
     * Parse (cached), select, limits, validate, GET rule, authorization, variables, demand control — in that order, the
     * cheapest refusals first.
     */
    private Admission admit(LiveSupergraph live, GraphQLRequest request, OperationSpans spans) {
        if (request.query() == null || request.query().isBlank()) {
            return refusal(GraphQLOutcome.Kind.REQUEST_ERROR, error("the request has no 'query'", ErrorCodes.BAD_REQUEST, null));
        }
        ParsedDocument parsed = metrics == null ? null : live.documents().getIfPresent(request.query());
        if (metrics != null) {
            metrics.documentCache(parsed != null);
        }
        if (parsed == null) {
            parsed = live.documents().get(request.query());
        }
        if (!parsed.parsed()) {
            if (isTokenLimit(parsed.errors())) {
                limits.countTokenRefusal();
                return answer(GraphQLOutcome.Kind.REFUSED, parsed.errors());
            }
            return answer(GraphQLOutcome.Kind.REQUEST_ERROR, parsed.errors());
        }
        Document document = parsed.document();
        OperationSelector.Selection selection = OperationSelector.select(document, request.operationName());
        if (!selection.ok()) {
            return refusal(GraphQLOutcome.Kind.REQUEST_ERROR,
                    error(selection.problem(), ErrorCodes.OPERATION_RESOLUTION_FAILURE, null));
        }
        OperationDefinition operation = selection.operation();
        if (spans != null) {
            spans.operation(operation.getName() != null ? operation.getName() : request.operationName(),
                    operation.getOperation().name().toLowerCase(Locale.ROOT));
        }
        if (limits.check(parsed.measurements(operation), request.clientName(), request.operationName())
                instanceof LimitVerdict.Refuse refuse) {
            return refusal(GraphQLOutcome.Kind.REFUSED, error(refuse.message(), refuse.code(), null));
        }
        if (!parsed.validationErrors().isEmpty()) {
            return answer(GraphQLOutcome.Kind.REQUEST_ERROR, parsed.validationErrors());
        }
        if (request.get() && operation.getOperation() != OperationDefinition.Operation.QUERY) {
            return refusal(GraphQLOutcome.Kind.METHOD_NOT_ALLOWED, error("only queries may be sent with GET; use POST for "
                    + operation.getOperation().name().toLowerCase(), ErrorCodes.METHOD_NOT_ALLOWED, null));
        }
        boolean query = operation.getOperation() == OperationDefinition.Operation.QUERY;
        AuthorizationResult authz = live.authorization().authorize(document, operation, request.identity());
        if (authz.rejected()) {
            return answer(GraphQLOutcome.Kind.FORBIDDEN, Authorization.errors(authz.removals()));
        }
        if (authz.filtered() && nothingLeft(authz.document())) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", null);
            body.put("errors", Authorization.errors(authz.removals()));
            return new Answered(new GraphQLOutcome(GraphQLOutcome.Kind.EXECUTED, body));
        }
        Map<String, Object> effective;
        try {
            CoercedVariables coerced = ValuesResolver.coerceVariableValues(live.supergraph().apiSchema(),
                    operation.getVariableDefinitions(), RawVariables.of(request.variables()),
                    GraphQLContext.getDefault(), Locale.ENGLISH);
            effective = coerced.toMap();
        } catch (RuntimeException e) {
            String message = e instanceof GraphQLError g ? g.getMessage() : e.getMessage();
            return refusal(GraphQLOutcome.Kind.REQUEST_ERROR, error(message, ErrorCodes.BAD_USER_INPUT, null));
        }
        if (!demandControl.enabled()) {
            return new Admitted(authz, effective, null, -1, query);
        }
        OperationDefinition costed = authz.filtered()
                ? OperationSelector.select(authz.document(), request.operationName()).operation() : operation;
        CostEstimator.Estimate estimate = !authz.filtered() && costed.getVariableDefinitions().isEmpty()
                ? parsed.staticCost(costed, op -> live.cost().estimateChecked(authz.document(), op, effective))
                : live.cost().estimateChecked(authz.document(), costed, effective);
        Map<String, Object> tooExpensive = demandControl.refusal(estimate, costed);
        if (tooExpensive != null) {
            return refusal(GraphQLOutcome.Kind.REFUSED, tooExpensive);
        }
        return new Admitted(authz, effective, costed, estimate.cost(), query);
    }

    /**
     * A query's answer: {@code no-store} with any error (a failed fetch is one), the configured default when no fetch
     * was needed, else the fetches' policies merged ({@code private} at most for a caller with credentials).
     */
    private String cacheControl(Map<String, Object> body, io.atrium.router.execute.ExecutionResult result,
                                boolean personal) {
        if (body.get("errors") instanceof List<?> errors && !errors.isEmpty()) {
            return CacheControlMerge.NO_STORE;
        }
        if (result.cachePolicy() == null || result.cachePolicy().isEmpty()) {
            return cacheControl.noFetchPolicy(personal);
        }
        return result.cachePolicy().header(personal);
    }

    /**
     * Records the operation's estimated and actual cost (the actual one only when configured: it walks the response,
     * parsing it back when it was streamed to bytes) and answers {@code extensions.cost} when configured, else null.
     */
    private Map<String, Object> cost(LiveSupergraph live, Admitted admitted, Object data) {
        long actual = -1;
        if (demandControl.config().actualCost()) {
            Object values = data instanceof RawJson raw ? Json.read(raw.getValue()) : data;
            actual = live.cost().actual(admitted.planned(), admitted.costed(), values);
        }
        return demandControl.executed(admitted.estimated(), actual);
    }

    private static Answered refusal(GraphQLOutcome.Kind kind, Map<String, Object> error) {
        return answer(kind, List.of(error));
    }

    private static Answered answer(GraphQLOutcome.Kind kind, List<Map<String, Object>> errors) {
        return new Answered(new GraphQLOutcome(kind, Map.of("errors", errors)));
    }

    private static boolean nothingLeft(Document planned) {
        return planned.getDefinitions().getFirst() instanceof OperationDefinition op
                && op.getSelectionSet().getSelections().isEmpty();
    }

    /** The removed fields answered null (propagated through non-null fields) with their errors first. */
    private static Map<String, Object> withAuthorizationNulls(Map<String, Object> body, AuthorizationResult authz) {
        Object data = body.get("data");
        if (data instanceof RawJson raw) {
            data = Json.read(raw.getValue());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", Authorization.patch(data, authz.removals()));
        List<Map<String, Object>> errors = new ArrayList<>(Authorization.errors(authz.removals()));
        if (body.get("errors") instanceof List<?> existing) {
            for (Object error : existing) {
                @SuppressWarnings("unchecked")
                Map<String, Object> e = (Map<String, Object>) error;
                errors.add(e);
            }
        }
        out.put("errors", errors);
        return out;
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

    /** The request's spans when tracing is on, else null. */
    private static OperationSpans spans(GraphQLRequest request) {
        return request.trace() == null ? null : request.trace().spans();
    }

    private static boolean isTokenLimit(List<Map<String, Object>> errors) {
        return errors.size() == 1 && errors.getFirst().get("extensions") instanceof Map<?, ?> extensions
                && GraphQLErrorCodes.MAX_TOKENS_LIMIT.equals(extensions.get("code"));
    }

    private static CompletionStage<GraphQLOutcome> requestError(String code, String message, SourceLocation location) {
        return CompletableFuture.completedFuture(new GraphQLOutcome(GraphQLOutcome.Kind.REQUEST_ERROR,
                Map.of("errors", List.of(error(message, code, location)))));
    }

    static Map<String, Object> error(String message, String code, SourceLocation location) {
        return GraphQLErrors.error(message, code, location);
    }
}
