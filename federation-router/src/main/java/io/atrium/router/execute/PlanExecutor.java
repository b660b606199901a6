package io.atrium.router.execute;

import io.atrium.graphql.cache.CacheControlMerge;
import io.atrium.router.observe.OperationSpans;
import io.atrium.router.plan.PlanNode;
import io.atrium.router.plan.QueryPlan;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.transport.SubgraphFetchException;
import io.atrium.router.transport.SubgraphRequest;
import io.atrium.router.transport.SubgraphResponse;
import io.atrium.router.transport.SubgraphTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Interprets a {@link QueryPlan}: runs fetches (Parallel branches concurrently), batches and de-duplicates entity
 * representations per Flatten, merges results into one response tree and finally shapes the client's response.
 */
public final class PlanExecutor {
    private final SubgraphTransport transport;
    private final Map<String, SubgraphEndpoint> endpoints;

    /** @param endpoints subgraph name → endpoint */
    public PlanExecutor(SubgraphTransport transport, Map<String, SubgraphEndpoint> endpoints) {
        this.transport = transport;
        this.endpoints = Map.copyOf(endpoints);
    }

    public CompletionStage<ExecutionResult> execute(ExecutionRequest request) {
        Supergraph supergraph = request.supergraph();
        QueryPlan plan = request.plan();
        Map<String, Object> effectiveVariables = request.effectiveVariables();
        Map<String, Object> introspection = request.introspection();
        RequestState state = new RequestState(supergraph, request.variables(), effectiveVariables, request.headers(),
                request.trace(), request.cacheControl() ? new CacheControlMerge.Accumulator() : null, request.sharedFetches());
        CompletionStage<Void> done = plan.root() == null ? CompletableFuture.completedFuture(null) : run(plan.root(), state);
        return done.thenApply(ignored -> {
            synchronized (state) {
                ResponseBuilder builder = new ResponseBuilder(supergraph, effectiveVariables, state.errors);
                Object data = builder.stream(plan.shape(), state.data, introspection);
                if (data == null) {
                    data = builder.build(plan.shape(), state.data, introspection);
                }
                return new ExecutionResult(data, state.errors, state.subgraphCalls.get(), state.cachePolicy);
            }
        });
    }

    private static final class RequestState {
        final Supergraph supergraph;
        final Map<String, Object> variables;
        final Map<String, Object> effectiveVariables;
        final Map<String, String> headers;
        final io.atrium.router.observe.TraceContext trace;
        final Map<String, Object> data = new LinkedHashMap<>();
        final List<Map<String, Object>> errors = new ArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger subgraphCalls = new java.util.concurrent.atomic.AtomicInteger();
        /** The fetches' Cache-Control merged; null when not asked for (mutations, or the block off). */
        final CacheControlMerge.Accumulator cachePolicy;
        /** The fetches of the client batch this request is part of; null: not in a batch. */
        final SharedFetches shared;

        RequestState(Supergraph supergraph, Map<String, Object> variables, Map<String, Object> effectiveVariables,
                     Map<String, String> headers, io.atrium.router.observe.TraceContext trace,
                     CacheControlMerge.Accumulator cachePolicy, SharedFetches shared) {
            this.supergraph = supergraph;
            this.variables = variables;
            this.effectiveVariables = effectiveVariables;
            this.headers = headers;
            this.trace = trace;
            this.cachePolicy = cachePolicy;
            this.shared = shared;
        }

        /** A fetch's response (null: the fetch failed) counts toward the answer's Cache-Control. */
        void cachePolicy(SubgraphResponse response) {
            if (cachePolicy == null) {
                return;
            }
            if (response == null) {
                cachePolicy.addUncacheable();
            } else {
                cachePolicy.add(response.cacheControl());
            }
        }
    }

    private CompletionStage<Void> run(PlanNode node, RequestState state) {
        return switch (node) {
            case PlanNode.Fetch fetch -> rootFetch(fetch, state);
            case PlanNode.Flatten flatten -> entityFetch(flatten.paths(), (PlanNode.Fetch) flatten.node(), state);
            case PlanNode.Sequence sequence -> {
                CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
                for (PlanNode child : sequence.nodes()) {
                    chain = chain.thenCompose(ignored -> run(child, state));
                }
                yield chain;
            }
            case PlanNode.Parallel parallel -> {
                CompletableFuture<?>[] all = new CompletableFuture<?>[parallel.nodes().size()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = run(parallel.nodes().get(i), state).toCompletableFuture();
                }
                yield CompletableFuture.allOf(all);
            }
            case PlanNode.Condition condition -> {
                PlanNode branch = Boolean.TRUE.equals(state.effectiveVariables.get(condition.variable()))
                        ? condition.ifTrue() : condition.ifFalse();
                yield branch == null ? CompletableFuture.completedFuture(null) : run(branch, state);
            }
        };
    }

    private CompletionStage<Void> rootFetch(PlanNode.Fetch fetch, RequestState state) {
        Map<String, Object> variables = variablesFor(fetch, state);
        return send(fetch, variables, state).handle((response, failure) -> {
            synchronized (state) {
                state.cachePolicy(failure != null ? null : response);
                if (failure != null) {
                    state.errors.add(fetchError(fetch, failure, null));
                    return null;
                }
                if (response.data() != null) {
                    KeyRenames.apply(response.data(), fetch.outputRenames());
                    Merge.deepMerge(state.data, response.data());
                }
                for (Map<String, Object> error : response.errors()) {
                    state.errors.add(subgraphError(fetch, error, null, state.supergraph));
                }
                return null;
            }
        });
    }

    private record Target(Map<String, Object> object, List<Object> path, int representation) {
    }

    /** The objects of one entity request: distinct representations and where each object goes. */
    private static final class Batch {
        final List<Target> targets = new ArrayList<>();
        final List<Object> representations = new ArrayList<>();
        final Map<Map<String, Object>, Integer> seen = new LinkedHashMap<>();
    }

    private CompletionStage<Void> entityFetch(List<List<String>> paths, PlanNode.Fetch fetch, RequestState state) {
        // Objects whose @fromContext values differ go in different requests (one per distinct list of values).
        Map<List<Object>, Batch> batches = new LinkedHashMap<>();
        synchronized (state) {
            Visitor visitor = (object, concretePath) -> {
                Map<String, Object> representation = Representations.project(object, fetch.requires(), fetch.typenameRewrites(), state.supergraph);
                if (representation == null) {
                    return;
                }
                List<Object> contextValues = fetch.contextVariables().isEmpty() ? List.of()
                        : ContextValues.of(fetch.contextVariables(), state.data, concretePath, state.supergraph);
                Batch batch = batches.computeIfAbsent(contextValues, k -> new Batch());
                Integer index = batch.seen.get(representation);
                if (index == null) {
                    index = batch.representations.size();
                    batch.seen.put(representation, index);
                    batch.representations.add(representation);
                }
                batch.targets.add(new Target(object, concretePath, index));
            };
            for (List<String> path : paths) {
                collect(state.data, path, 0, new ArrayList<>(), visitor);
            }
        }
        if (batches.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (batches.size() == 1) {
            Map.Entry<List<Object>, Batch> only = batches.entrySet().iterator().next();
            return entityRequest(fetch, only.getKey(), only.getValue(), state);
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[batches.size()];
        int i = 0;
        for (Map.Entry<List<Object>, Batch> entry : batches.entrySet()) {
            all[i++] = entityRequest(fetch, entry.getKey(), entry.getValue(), state).toCompletableFuture();
        }
        return CompletableFuture.allOf(all);
    }

    private CompletionStage<Void> entityRequest(PlanNode.Fetch fetch, List<Object> contextValues, Batch batch,
                                                RequestState state) {
        List<Target> targets = batch.targets;
        Map<String, Object> variables = variablesFor(fetch, state);
        for (int i = 0; i < contextValues.size(); i++) {
            variables.put(fetch.contextVariables().get(i).variable(), contextValues.get(i));
        }
        variables.put("representations", batch.representations);
        return send(fetch, variables, state).handle((response, failure) -> {
            synchronized (state) {
                state.cachePolicy(failure != null ? null : response);
                if (failure != null) {
                    state.errors.add(fetchError(fetch, failure, null));
                    return null;
                }
                mergeEntities(fetch, response, targets, state);
                return null;
            }
        });
    }

    private static void mergeEntities(PlanNode.Fetch fetch, SubgraphResponse response, List<Target> targets,
                                      RequestState state) {
        List<?> entities = response.data() != null && response.data().get("_entities") instanceof List<?> list
                ? list : List.of();
        if (!fetch.outputRenames().isEmpty()) {
            for (Object entity : entities) {
                if (entity instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) map;
                    KeyRenames.apply(object, fetch.outputRenames());
                }
            }
        }
        for (Target target : targets) {
            if (target.representation() < entities.size()
                    && entities.get(target.representation()) instanceof Map<?, ?> entity) {
                @SuppressWarnings("unchecked")
                Map<String, Object> source = (Map<String, Object>) entity;
                Merge.mergeEntity(target.object(), source, state.supergraph);
            }
        }
        for (Map<String, Object> error : response.errors()) {
            state.errors.add(subgraphError(fetch, error, targets, state.supergraph));
        }
    }

    interface Visitor {
        void visit(Map<String, Object> object, List<Object> path);
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object value, List<String> path, int index, List<Object> concrete, Visitor visitor) {
        if (value == null) {
            return;
        }
        if (index == path.size()) {
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    concrete.add(i);
                    collect(list.get(i), path, index, concrete, visitor);
                    concrete.removeLast();
                }
            } else if (value instanceof Map<?, ?> map) {
                visitor.visit((Map<String, Object>) map, List.copyOf(concrete));
            }
            return;
        }
        String step = path.get(index);
        if (step.equals("@")) {
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    concrete.add(i);
                    collect(list.get(i), path, index + 1, concrete, visitor);
                    concrete.removeLast();
                }
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            concrete.add(step);
            collect(map.get(step), path, index + 1, concrete, visitor);
            concrete.removeLast();
        }
    }

    private Map<String, Object> variablesFor(PlanNode.Fetch fetch, RequestState state) {
        Map<String, Object> variables = new LinkedHashMap<>();
        for (String name : fetch.variableUsages()) {
            if (state.variables.containsKey(name)) {
                variables.put(name, state.variables.get(name));
            }
        }
        return variables;
    }

    private CompletionStage<SubgraphResponse> send(PlanNode.Fetch fetch, Map<String, Object> variables,
                                                   RequestState state) {
        SubgraphEndpoint endpoint = endpoints.get(fetch.serviceName());
        if (endpoint == null) {
            return CompletableFuture.failedFuture(new SubgraphFetchException(
                    "no URL configured for subgraph '" + fetch.serviceName() + "'"));
        }
        try {
            SubgraphTransport via = endpoint.connector() != null ? endpoint.connector() : transport;
            Map<String, String> headers = io.atrium.router.config.HeaderRule.apply(endpoint.headerRules(), state.headers);
            io.opentelemetry.api.trace.Span span = null;
            OperationSpans connectorSpans = null;
            if (state.trace != null) {
                // the caller's trace continues in every subgraph call, each with a span id of its own: the fetch
                // span's when tracing is on
                headers = new LinkedHashMap<>(headers);
                OperationSpans spans = state.trace.spans();
                if (spans == null) {
                    headers.put(io.atrium.router.observe.TraceContext.HEADER, state.trace.childHeader());
                } else {
                    span = spans.fetch(fetch.serviceName(), endpoint.connector() != null ? null : endpoint.url(), headers);
                    connectorSpans = endpoint.connector() != null ? spans.within(span) : null;
                }
            }
            SubgraphRequest request = new SubgraphRequest(fetch.serviceName(), endpoint.url(), fetch.operation(),
                    fetch.operationName(), variables, endpoint.timeout(), headers, endpoint.h2c(), connectorSpans);
            CompletionStage<SubgraphResponse> response;
            if (state.shared != null) {
                response = state.shared.fetch(request, via, state.subgraphCalls::incrementAndGet);
            } else {
                state.subgraphCalls.incrementAndGet();
                response = via.fetch(request);
            }
            if (span == null) {
                return response;
            }
            io.opentelemetry.api.trace.Span fetchSpan = span;
            return response.whenComplete((answer, failure) ->
                    OperationSpans.fetched(fetchSpan, answer == null ? 0 : answer.status(),
                            answer == null ? 0 : answer.errors().size(), failure));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Map<String, Object> fetchError(PlanNode.Fetch fetch, Throwable failure, List<Object> path) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Map<String, Object> error = new LinkedHashMap<>();
        String message = cause instanceof SubgraphFetchException ? cause.getMessage()
                : "HTTP fetch failed from '" + fetch.serviceName() + "': " + cause;
        error.put("message", message);
        if (path != null) {
            error.put("path", path);
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        boolean circuitOpen = cause instanceof SubgraphFetchException e && e.circuitOpen();
        extensions.put("code", circuitOpen ? ErrorCodes.SUBGRAPH_CIRCUIT_OPEN : ErrorCodes.SUBGRAPH_REQUEST_FAILED);
        extensions.put("serviceName", fetch.serviceName());
        error.put("extensions", extensions);
        return error;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> subgraphError(PlanNode.Fetch fetch, Map<String, Object> original,
                                                     List<Target> targets, Supergraph supergraph) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", original.getOrDefault("message", "subgraph error"));
        Object path = original.get("path");
        if (path instanceof List<?> list && !list.isEmpty()) {
            List<Object> repathed = repath((List<Object>) list, targets);
            if (repathed != null) {
                error.put("path", clientPath(repathed, supergraph));
            }
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (original.get("extensions") instanceof Map<?, ?> ext) {
            extensions.putAll((Map<String, Object>) ext);
        }
        extensions.putIfAbsent("code", ErrorCodes.DOWNSTREAM_SERVICE_ERROR);
        extensions.put("serviceName", fetch.serviceName());
        error.put("extensions", extensions);
        return error;
    }

    /** Internal response keys ({@code alias__name}, see {@link Supergraph#dataKey}) back to the client's aliases. */
    private static List<Object> clientPath(List<Object> path, Supergraph supergraph) {
        List<Object> result = new ArrayList<>(path.size());
        for (Object step : path) {
            result.add(step instanceof String key ? supergraph.responseKey(PlanNode.KeyRename.clientKey(key)) : step);
        }
        return result;
    }

    /** Maps {@code ["_entities", i, ...rest]} to the client path of the first object that sent representation i. */
    private static List<Object> repath(List<Object> path, List<Target> targets) {
        if (targets == null) {
            return path;
        }
        if (path.size() < 2 || !"_entities".equals(path.get(0)) || !(path.get(1) instanceof Number number)) {
            return null;
        }
        for (Target target : targets) {
            if (target.representation() == number.intValue()) {
                List<Object> result = new ArrayList<>(target.path());
                result.addAll(path.subList(2, path.size()));
                return result;
            }
        }
        return null;
    }
}
