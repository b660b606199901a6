package io.atrium.graphql.bff;

import graphql.ExecutionInput;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.GraphQLErrors;
import io.atrium.graphql.cost.CostEstimator;
import io.atrium.graphql.cost.CostRateLimit;
import io.atrium.graphql.cost.CostRateLimitConfig;
import io.atrium.graphql.cost.DemandControl;
import io.atrium.graphql.document.OperationSelector;
import io.atrium.graphql.document.ParsedDocument;
import io.atrium.graphql.http.BatchingConfig;
import io.atrium.graphql.http.GraphQLHttpParser;
import io.atrium.graphql.http.GraphQLHttpRequest;
import io.atrium.graphql.http.HttpParseResult;
import io.atrium.graphql.subgraph.FederatedSubgraph;
import io.atrium.graphql.http.HeaderLookup;
import io.atrium.graphql.identity.IdentityOutcome;
import io.atrium.graphql.identity.IdentityResolver;
import io.atrium.graphql.json.JsonWriter;
import io.atrium.graphql.limits.LimitVerdict;
import io.atrium.graphql.limits.LimitsPolicy;
import io.atrium.graphql.trusted.DocumentResolution;
import io.atrium.graphql.trusted.DocumentResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.atrium.graphql.cache.CacheControlMerge;
import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonSyntaxException;
import io.atrium.policy.error.Problem;
import io.atrium.policy.observability.LogTrace;
import io.atrium.policy.observability.TraceParent;
import io.atrium.policy.error.ProblemType;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One BFF's GraphQL pipeline, independent of its HTTP server: document (trusted operation of the app version by id,
 * or text when the config allows it) → identity → parse, operation limits and validation against the client's VIEW
 * (cached per view) → demand control (this client's cost budget) → introspection answered from the view, everything else forwarded to the router with the caller's
 * assertion and the app's name and version → response budget and {@code Cache-Control}. Every request is counted and
 * access-logged ({@link BffObservations}).
 */
public final class BffEndpoint implements AutoCloseable {
    private static final CompletionStage<DocumentResolution> NO_DOCUMENT = CompletableFuture.completedFuture(null);
    private static final Map<String, String> REVALIDATE = Map.of("cache-control", "private, no-cache, must-revalidate");
    private static final Map<String, String> NO_STORE = Map.of("cache-control", "no-store");

    /**
     * The request headers a forwarded answer depends on besides its URL: the caller's credentials and the app's name and
     * version, which {@link RouterForwarder} passes on and the view's operations and limits are chosen by (the trace
     * headers and {@code x-request-id} it passes too change no answer). A cache keyed on less would give one caller's
     * or one app version's answer to another.
     */
    public static final List<String> ANSWER_HEADERS = List.of("authorization", "x-atrium-assertion",
            "apollographql-client-name", "apollographql-client-version", "graphql-client-name", "graphql-client-version");

    /** {@code Vary} of every GET answer: {@link #ANSWER_HEADERS} and {@code accept} (it picks the media type). */
    public static final String GET_VARY = "accept, " + String.join(", ", ANSWER_HEADERS);

    private final BffConfig config;
    private final ViewFollower views;
    private final LimitsPolicy limits;
    private final DemandControl demandControl;
    private final CostRateLimit costBudget;
    private final DocumentResolver documents;
    private final IdentityResolver identity;
    private final RouterForwarder router;
    private final BffObservations observations;
    private final BffTracing tracing;
    private final ConditionalGet conditionalGets = new ConditionalGet(ConditionalGet.DEFAULT_MEMO_BYTES);
    /** Whether the router takes batches (router.batch on, and it has not refused one). */
    private final java.util.concurrent.atomic.AtomicBoolean routerBatches = new java.util.concurrent.atomic.AtomicBoolean(true);

    public BffEndpoint(BffConfig config, ViewFollower views, HttpClient http, MeterRegistry registry) {
        this(config, views, http, registry, null);
    }

    /** @param tracing OpenTelemetry spans, or null (off) */
    BffEndpoint(BffConfig config, ViewFollower views, HttpClient http, MeterRegistry registry, BffTracing tracing) {
        this.tracing = tracing;
        this.config = config;
        this.views = views;
        this.limits = new LimitsPolicy(config.endpoint().limits(), registry);
        this.demandControl = new DemandControl(config.endpoint().demandControl(), registry);
        CostRateLimitConfig budget = config.endpoint().demandControl().rateLimit();
        this.costBudget = budget == null ? null : new CostRateLimit(budget, registry);
        this.documents = DocumentResolver.of(config.endpoint().trustedDocuments(), registry);
        this.identity = IdentityResolver.create(config.endpoint().identity(), http, registry);
        this.router = new RouterForwarder(config.router());
        this.observations = new BffObservations(config.name(), registry);
    }

    public BffConfig config() {
        return config;
    }

    /** Entity tags and 304s of this BFF's GET answers (one memo of tagged answers per BFF). */
    public ConditionalGet conditionalGets() {
        return conditionalGets;
    }

    /** The live view, or null before the first one. */
    public LiveView view() {
        return views.current();
    }

    /** A GraphQL-over-HTTP POST body (one request) through {@link #execute}. */
    public CompletionStage<BffResult> post(HeaderLookup headers, byte[] body) {
        return parsed(GraphQLHttpParser.post(headers, body == null ? new byte[0] : body), headers);
    }

    /** Most operations one batch may hold. */
    public static final int MAX_BATCH = 10;
    public static final ProblemType BATCH_TOO_LARGE = ProblemType.of("BATCH_TOO_LARGE", 400,
            "Too many operations in one batch");

    /**
     * A POST body that is one request or a batch: a JSON array of requests, run concurrently and answered with one
     * array in request order (each element as it would be answered alone), with one {@code Cache-Control} merged
     * restrictively from the elements' ({@code no-store} when one failed). A batch of 0 or over {@link #MAX_BATCH}
     * is refused with a problem document.
     *
     * @param path the request's path (the problem document's {@code instance})
     */
    public CompletionStage<BffResult> postOrBatch(HeaderLookup headers, byte[] body, String path) {
        byte[] bytes = body == null ? new byte[0] : body;
        if (!BatchingConfig.isBatch(bytes)) {
            return post(headers, bytes);
        }
        List<?> items;
        try {
            items = JsonReader.read(bytes) instanceof List<?> list ? list : List.of();
        } catch (JsonSyntaxException e) {
            return done(BffResult.errors(400, NO_STORE, GraphQLErrorCodes.BAD_REQUEST, "the batch is not valid JSON: "
                    + e.getMessage()));
        }
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            Problem problem = Problem.of(BATCH_TOO_LARGE, "a batch holds 1 to " + MAX_BATCH + " operations; this one has "
                    + items.size(), path, headers.get("x-request-id"));
            return done(new BffResult(BATCH_TOO_LARGE.status(), Map.of("content-type", Problem.MEDIA_TYPE,
                    "cache-control", "no-store"), problem.toJsonBytes()));
        }
        List<CompletableFuture<BffResult>> results = new ArrayList<>(items.size());
        RouterBatch batch = config.router().batch() && items.size() > 1
                ? new RouterBatch(router, config.name(), items.size(), routerBatches) : null;
        for (Object item : items) {
            RouterBatch.Slot slot = batch == null ? null : batch.slot();
            CompletableFuture<BffResult> result = (item instanceof Map<?, ?>
                    ? parsed(GraphQLHttpParser.post(headers, item), headers, slot)
                    : done(BffResult.errors(400, Map.of(), GraphQLErrorCodes.BAD_REQUEST,
                    "each batch element must be a GraphQL request object"))).toCompletableFuture();
            if (slot != null) {
                result.whenComplete((answered, failure) -> slot.answered());
            }
            results.add(result);
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<byte[]> bodies = new ArrayList<>(results.size());
            List<String> policies = new ArrayList<>(results.size());
            boolean failed = false;
            int size = results.size() + 1;
            for (CompletableFuture<BffResult> result : results) {
                BffResult answered = result.join();
                bodies.add(answered.body());
                if (answered.wire() != null) { // an element forwarded alone (a batch of one) on the data path
                    answered.wire().release();
                }
                policies.add(answered.headers().get("cache-control"));
                failed |= answered.status() != 200;
                size += answered.body().length;
            }
            // every element answered by one router batch, unchanged: its bytes are already this answer
            byte[] out = batch == null ? null : batch.sameAsRouterAnswer(bodies);
            if (out == null) {
                out = new byte[size];
                int at = 0;
                out[at++] = '[';
                for (int i = 0; i < bodies.size(); i++) {
                    if (i > 0) {
                        out[at++] = ',';
                    }
                    System.arraycopy(bodies.get(i), 0, out, at, bodies.get(i).length);
                    at += bodies.get(i).length;
                }
                out[at] = ']';
            }
            return new BffResult(200, Map.of("content-type", "application/json", "cache-control",
                    CacheControlMerge.merge(policies, failed)), out);
        });
    }

    /**
     * A GraphQL-over-HTTP GET (raw query string) through {@link #execute}; the answer names in {@code Vary}
     * ({@link #GET_VARY}) the request headers it depends on, as HTTP caches need for a GET.
     */
    public CompletionStage<BffResult> get(HeaderLookup headers, String rawQuery) {
        return parsed(GraphQLHttpParser.get(headers, rawQuery == null ? "" : rawQuery), headers)
                .thenApply(result -> result.withHeader("vary", GET_VARY));
    }

    /** A request of the router to the BFF's own fields (its subgraph), answered by {@code fields}. */
    public static CompletionStage<BffResult> subgraph(FederatedSubgraph fields, HeaderLookup headers, byte[] body) {
        HttpParseResult parsed = GraphQLHttpParser.post(headers, body == null ? new byte[0] : body);
        if (parsed instanceof HttpParseResult.Refused refused) {
            return done(new BffResult(refused.status(), NO_STORE, JsonWriter.write(refused.body())));
        }
        GraphQLHttpRequest request = ((HttpParseResult.Parsed) parsed).request();
        return fields.execute(request.query(), request.operationName(), request.variables())
                .thenApply(result -> new BffResult(200, Map.of("content-type", "application/json"), JsonWriter.write(result)));
    }

    private CompletionStage<BffResult> parsed(HttpParseResult parsed, HeaderLookup headers) {
        return parsed(parsed, headers, null);
    }

    private CompletionStage<BffResult> parsed(HttpParseResult parsed, HeaderLookup headers, RouterBatch.Slot slot) {
        return switch (parsed) {
            case HttpParseResult.Parsed ok -> execute(ok.request(), headers, slot);
            case HttpParseResult.Refused refused -> done(new BffResult(refused.status(), NO_STORE,
                    JsonWriter.write(refused.body())));
        };
    }

    /** Runs one GraphQL request; never fails (failures are answered). */
    public CompletionStage<BffResult> execute(GraphQLHttpRequest request, HeaderLookup headers) {
        return execute(request, headers, null);
    }

    /** @param slot the element's place in a batch sent to the router as one (null: forwarded alone) */
    private CompletionStage<BffResult> execute(GraphQLHttpRequest request, HeaderLookup headers, RouterBatch.Slot slot) {
        long started = System.nanoTime();
        BffTracing.Request spans = tracing == null ? null : tracing.start(headers, request.client().name());
        // every line logged for this request names its trace: the BFF's span's, else the caller's traceparent's
        String traceId = spans != null ? spans.traceId() : TraceParent.traceIdOf(headers.get(TraceParent.HEADER));
        String spanId = spans != null ? spans.spanId() : null;
        CompletionStage<BffResult> running;
        try (LogTrace.Scope scope = LogTrace.open(traceId, spanId)) {
            running = run(request, spans == null ? headers : spans.toRouter(headers), slot);
        }
        return running.exceptionally(failure -> BffResult.errors(502, NO_STORE,
                        GraphQLErrorCodes.ROUTER_UNAVAILABLE, "the router did not answer; try again"))
                .thenApply(result -> {
                    try (LogTrace.Scope scope = LogTrace.open(traceId, spanId)) {
                        observations.record(request, result, System.nanoTime() - started, traceId);
                    }
                    if (spans != null) {
                        spans.end(result);
                    }
                    return result.status() == 304 ? result // no content, so no content type
                            : result.withHeader("content-type", request.format().contentType());
                });
    }

    private CompletionStage<BffResult> run(GraphQLHttpRequest request, HeaderLookup headers, RouterBatch.Slot slot) {
        LiveView live = views.current();
        if (live == null) {
            return done(BffResult.errors(503, REVALIDATE, GraphQLErrorCodes.SCHEMA_NOT_READY,
                    "the schema is not loaded yet; try again shortly"));
        }
        CompletionStage<DocumentResolution> document = resolve(live, request);
        return document.thenCompose(resolution -> {
            if (resolution instanceof DocumentResolution.Refused refused) {
                return done(BffResult.errors(refused.status(), refused.headers(), refused.code(), refused.message()));
            }
            GraphQLHttpRequest resolved = request.withQuery(((DocumentResolution.Resolved) resolution).query());
            return identity.resolve(headers).thenCompose(outcome -> {
                if (outcome instanceof IdentityOutcome.Refused refused) {
                    return done(BffResult.errors(401, Map.of("www-authenticate", "Bearer realm=\"atrium\""),
                            GraphQLErrorCodes.UNAUTHENTICATED, refused.message()));
                }
                return admitted(live, resolved, headers,
                        outcome instanceof IdentityOutcome.Verified verified ? verified.identity() : null, slot);
            });
        });
    }

    /** The document text: a registered operation of the app version, or what the kit's trusted documents allow. */
    private CompletionStage<DocumentResolution> resolve(LiveView live, GraphQLHttpRequest request) {
        if (config.operations().source() == BffConfig.Operations.Source.NONE) {
            return documents.resolve(request);
        }
        String id = request.documentId();
        if (id == null && request.extensions().get("persistedQuery") instanceof Map<?, ?> pq
                && pq.get("sha256Hash") instanceof String hash) {
            id = hash;
        }
        if (id == null) {
            return config.operations().requireId()
                    ? CompletableFuture.completedFuture(new DocumentResolution.Refused(400,
                    GraphQLErrorCodes.PERSISTED_QUERY_ID_REQUIRED, "this endpoint runs registered operations only: "
                    + "send the operation's id (extensions.persistedQuery.sha256Hash or documentId), not its text",
                    Map.of()))
                    : documents.resolve(request);
        }
        if (request.documentId() != null && request.query() != null) {
            return CompletableFuture.completedFuture(new DocumentResolution.Refused(400,
                    GraphQLErrorCodes.CANNOT_SEND_PQ_ID_AND_BODY, "send either 'documentId' or 'query', not both",
                    REVALIDATE));
        }
        AppOperations.Lookup lookup = live.operations().byId(request.client().name(), request.client().version(), id);
        return CompletableFuture.completedFuture(switch (lookup) {
            case AppOperations.Lookup.Found found -> new DocumentResolution.Resolved(found.operation().body());
            case AppOperations.Lookup.UpdateRequired update -> new DocumentResolution.Refused(400,
                    GraphQLErrorCodes.APP_UPDATE_REQUIRED, update.message(), REVALIDATE);
            case AppOperations.Lookup.NotInList ignored -> new DocumentResolution.Refused(404,
                    GraphQLErrorCodes.PERSISTED_QUERY_NOT_IN_LIST, "PersistedQueryNotInList: the operation id is not "
                    + "registered for " + request.client().name() + " " + request.client().version(), REVALIDATE);
        });
    }

    private CompletionStage<BffResult> admitted(LiveView live, GraphQLHttpRequest request, HeaderLookup headers,
                                                io.atrium.policy.Identity caller, RouterBatch.Slot slot) {
        int requestError = request.format().requestErrorStatus();
        if (request.query() == null || request.query().isBlank()) {
            return done(BffResult.errors(requestError, NO_STORE, GraphQLErrorCodes.BAD_REQUEST, "the request has no 'query'"));
        }
        ParsedDocument parsed = live.documents().get(request.query());
        if (!parsed.parsed()) {
            return done(BffResult.body(requestError, NO_STORE, Map.of("errors", parsed.errors())));
        }
        OperationSelector.Selection selection = OperationSelector.select(parsed.document(), request.operationName());
        if (!selection.ok()) {
            return done(BffResult.errors(requestError, NO_STORE, GraphQLErrorCodes.OPERATION_RESOLUTION_FAILURE,
                    selection.problem()));
        }
        OperationDefinition operation = selection.operation();
        if (limits.check(parsed.measurements(operation), request.client().name(), request.operationName())
                instanceof LimitVerdict.Refuse refuse) {
            return done(BffResult.errors(400, NO_STORE, refuse.code(), refuse.message()));
        }
        if (!parsed.validationErrors().isEmpty()) {
            return done(BffResult.body(requestError, NO_STORE, Map.of("errors", parsed.validationErrors())));
        }
        boolean query = operation.getOperation() == OperationDefinition.Operation.QUERY;
        if (request.get() && !query) {
            return done(BffResult.errors(405, Map.of("allow", "POST"), GraphQLErrorCodes.METHOD_NOT_ALLOWED,
                    "only queries may be sent with GET; use POST for " + operation.getOperation().name().toLowerCase()));
        }
        CostEstimator.Estimate estimate = !demandControl.enabled() ? null : operation.getVariableDefinitions().isEmpty()
                ? parsed.staticCost(operation, op -> live.cost().estimateChecked(parsed.document(), op, Map.of()))
                : live.cost().estimateChecked(parsed.document(), operation, request.variables());
        long estimated = estimate == null ? -1 : estimate.cost();
        Map<String, Object> tooExpensive = estimate == null ? null : demandControl.refusal(estimate, operation);
        if (tooExpensive != null) {
            return done(BffResult.body(400, NO_STORE, Map.of("errors", List.of(tooExpensive))));
        }
        Introspection introspection = introspection(operation);
        if (introspection != Introspection.NONE) {
            return done(introspect(live, request, introspection).withOperation(operation.getName()));
        }
        if (costBudget != null) {
            return costBudget.spend(request.client().name(), caller, estimated).thenCompose(verdict -> {
                if (verdict instanceof CostRateLimit.Refused refused) {
                    Map<String, String> answerHeaders = new LinkedHashMap<>(NO_STORE);
                    answerHeaders.putAll(refused.headers());
                    return done(BffResult.body(refused.status(), answerHeaders, Map.of("errors", List.of(refused.error())))
                            .withOperation(operation.getName()));
                }
                return forward(request, headers, operation, slot).thenApply(result -> {
                    BffResult out = result;
                    for (Map.Entry<String, String> header : verdict.headers().entrySet()) {
                        out = out.withHeader(header.getKey(), header.getValue());
                    }
                    return out;
                });
            });
        }
        return forward(request, headers, operation, slot);
    }

    /** Forwards an admitted operation to the router and applies the response budget and cache policy. */
    private CompletionStage<BffResult> forward(GraphQLHttpRequest request, HeaderLookup headers,
                                               OperationDefinition operation, RouterBatch.Slot slot) {
        String name = request.operationName() != null ? request.operationName() : operation.getName();
        int budget = config.responseBudget().forOperation(name);
        boolean query = operation.getOperation() == OperationDefinition.Operation.QUERY;
        String ifNoneMatch = slot == null && request.get() && query ? headers.get("if-none-match") : null;
        // answered on the data path, a POST's answer is passed on as the router's buffers (nothing copies it)
        boolean wire = slot == null && !request.get() && DataPathHandler.answering();
        CompletionStage<RouterForwarder.Answer> answered = slot != null ? slot.forward(request, headers)
                : ifNoneMatch != null ? router.revalidate(request, headers, config.name(), ifNoneMatch)
                : router.forward(request, headers, config.name(), wire);
        return answered.thenApply(answer -> {
            if (answer.status() == 304 && answer.etag() != null) {
                // the router's answer is still the one the app holds: its policy and tag, no body
                Map<String, String> notModified = new LinkedHashMap<>();
                notModified.put("cache-control", answer.cacheControl() == null ? "no-store" : answer.cacheControl());
                notModified.put("etag", answer.etag());
                return new BffResult(304, notModified, new byte[0], name);
            }
            if (answer.length() > budget) {
                if (answer.wire() != null) {
                    answer.wire().release();
                }
                Map<String, Object> error = GraphQLErrors.error("the response of " + (name == null ? "this operation"
                        : name) + " is " + answer.length() + " bytes, over its budget of " + budget
                        + " bytes; ask for less (smaller pages, fewer fields)", GraphQLErrorCodes.RESPONSE_TOO_LARGE, null);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("data", null);
                body.put("errors", List.of(error));
                return BffResult.body(200, NO_STORE, body).withOperation(name);
            }
            // only an answer the router let be stored is searched for errors (the router already says no-store for
            // one with errors; this keeps a BFF in front of another router honest without scanning every answer)
            String cacheControl = !query || answer.cacheControl() == null
                    || answer.cacheControl().toLowerCase(java.util.Locale.ROOT).contains("no-store")
                    || answer.hasErrors() ? null : answer.cacheControl();
            return new BffResult(answer.status(), Map.of("cache-control", cacheControl == null ? "no-store"
                    : cacheControl), answer.body(), name, answer.wire());
        });
    }

    private enum Introspection { NONE, ONLY, MIXED }

    private static Introspection introspection(OperationDefinition operation) {
        boolean meta = false;
        boolean data = false;
        for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
            if (selection instanceof Field field) {
                if (field.getName().equals("__schema") || field.getName().equals("__type")) {
                    meta = true;
                } else if (!field.getName().equals("__typename")) {
                    data = true;
                }
            } else {
                data = true; // fragments: forwarded (introspection inside them is answered by the router's schema)
            }
        }
        return !meta ? Introspection.NONE : data ? Introspection.MIXED : Introspection.ONLY;
    }

    private BffResult introspect(LiveView live, GraphQLHttpRequest request, Introspection kind) {
        if (!config.introspection()) {
            return BffResult.errors(request.format().requestErrorStatus(), NO_STORE,
                    GraphQLErrorCodes.INTROSPECTION_DISABLED, "introspection is disabled on this endpoint");
        }
        if (kind == Introspection.MIXED) {
            return BffResult.errors(request.format().requestErrorStatus(), NO_STORE, GraphQLErrorCodes.INTROSPECTION_MIXED,
                    "send introspection (__schema, __type) in an operation of its own");
        }
        var result = live.introspection().execute(ExecutionInput.newExecutionInput().query(request.query())
                .operationName(request.operationName()).variables(request.variables()).build());
        return BffResult.body(200, NO_STORE, result.toSpecification());
    }

    private static CompletionStage<BffResult> done(BffResult result) {
        return CompletableFuture.completedFuture(result);
    }

    /** A JSON body as bytes (the apps' non-forwarded answers). */
    public static byte[] json(Object value) {
        return JsonWriter.write(value);
    }

    @Override
    public void close() {
        if (tracing != null) {
            tracing.close();
        }
        documents.close();
        router.close();
        if (costBudget != null) {
            costBudget.close();
        }
    }
}
