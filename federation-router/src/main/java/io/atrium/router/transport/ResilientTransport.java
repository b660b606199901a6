package io.atrium.router.transport;

import io.atrium.policy.resilience.AttemptOutcome;
import io.atrium.policy.resilience.ClusterResilienceConfig;
import io.atrium.policy.resilience.ResilienceListener;
import io.atrium.policy.resilience.RetryConfig;
import io.atrium.policy.resilience.RetryDecision;
import io.atrium.policy.resilience.Selection;
import io.atrium.policy.resilience.UpstreamCall;
import io.atrium.policy.resilience.UpstreamCluster;
import io.atrium.router.config.SubgraphResilience;
import io.atrium.router.observe.RouterMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Resilient subgraph calls around any {@link SubgraphTransport} (GraphQL over HTTP, or a connector's): per subgraph an
 * {@link UpstreamCluster} of shared-policies (the edge's code) over the subgraph's URLs — load balancing, outlier
 * ejection, a circuit breaker, retries with full-jitter backoff and a retry budget. Queries are retried on a retriable
 * failure (on another URL when there is one); a mutation only when the transport proves the request never reached the
 * subgraph (the connection could not be made). An open circuit fails the fetch at once with
 * {@link SubgraphFetchException#circuitOpen}. Optionally, identical queries in flight share one request.
 *
 * <p>Clusters live as long as the router (not per supergraph), so a registry swap keeps circuit and ejection state;
 * a subgraph whose URLs changed gets a new cluster. Retries wait on the event loop the attempt completed on.
 */
public final class ResilientTransport implements SubgraphTransport {
    private final SubgraphTransport delegate;
    private final Clusters clusters;

    /**
     * The clusters of one router, shared by the transports it wraps (HTTP and connectors).
     *
     * @param resilience the subgraph's resilience config by name
     * @param urls       the subgraph's URLs by name, given the URL a request carries (config {@code urls} or that one)
     * @param listener   observes every cluster (metrics, logs), given the subgraph's name
     */
    public record Clusters(Function<String, SubgraphResilience> resilience,
                           BiFunction<String, URI, List<URI>> urls,
                           Function<String, ResilienceListener> listener,
                           Map<String, SubgraphCluster> byName) {
        public Clusters(Function<String, SubgraphResilience> resilience, BiFunction<String, URI, List<URI>> urls,
                        Function<String, ResilienceListener> listener) {
            this(resilience, urls, listener, new ConcurrentHashMap<>());
        }

        /** The subgraph's cluster, built on its first request (or when its URLs changed). */
        SubgraphCluster of(SubgraphRequest request) {
            SubgraphCluster current = byName.get(request.subgraphName());
            if (current != null && current.urls().getFirst().equals(request.url())) {
                return current;
            }
            return byName.compute(request.subgraphName(), (name, existing) ->
                    existing != null && existing.urls().getFirst().equals(request.url()) ? existing : build(request));
        }

        private SubgraphCluster build(SubgraphRequest request) {
            String name = request.subgraphName();
            List<URI> list = urls.apply(name, request.url());
            if (list.isEmpty()) {
                list = List.of(request.url());
            }
            SubgraphResilience config = resilience.apply(name);
            UpstreamCluster.Builder builder = UpstreamCluster.builder(name, withTotalTimeout(config.cluster(), request.timeout()))
                    .listener(listener.apply(name));
            for (URI url : list) {
                builder.endpoint(url.toString());
            }
            // 0 closed, 1 half-open, 2 open; read through the map so a rebuilt cluster is the one reported
            Gauge.builder("atrium.router.subgraph.circuit_state", byName, m -> circuitState(m.get(name)))
                    .description("the subgraph's circuit: 0 closed, 1 half-open, 2 open (-1 no breaker)")
                    .tag("subgraph", name).register(Metrics.globalRegistry);
            return new SubgraphCluster(builder.build(), List.copyOf(list), config.deduplicateQueries(),
                    new ConcurrentHashMap<>(), Counter.builder("atrium.router.subgraph.deduplicated")
                    .description("subgraph queries answered by an identical query already in flight")
                    .tag("subgraph", name).register(Metrics.globalRegistry));
        }

        private static double circuitState(SubgraphCluster cluster) {
            if (cluster == null || cluster.cluster().circuitBreaker().isEmpty()) {
                return -1;
            }
            return switch (cluster.cluster().circuitBreaker().get().state()) {
                case CLOSED -> 0;
                case HALF_OPEN -> 1;
                case OPEN -> 2;
            };
        }

        /** The cluster of a subgraph, if it has been called. */
        public java.util.Optional<UpstreamCluster> cluster(String subgraph) {
            return java.util.Optional.ofNullable(byName.get(subgraph)).map(SubgraphCluster::cluster);
        }
    }

    /** One subgraph's cluster, its URLs in endpoint order, and its queries in flight (when de-duplicating). */
    record SubgraphCluster(UpstreamCluster cluster, List<URI> urls, boolean deduplicate,
                           Map<SubgraphRequest.Identical, CompletableFuture<SubgraphResponse>> inFlight, Counter deduplicated) {
    }


    public ResilientTransport(SubgraphTransport delegate, Clusters clusters) {
        this.delegate = delegate;
        this.clusters = clusters;
    }

    /** The same clusters around another transport (a connector's): one circuit per subgraph, whatever answers it. */
    public ResilientTransport around(SubgraphTransport other) {
        return new ResilientTransport(other, clusters);
    }

    public Clusters clusters() {
        return clusters;
    }

    /**
     * The library's default total timeout (15 s) would cut a longer subgraph timeout: unless configured otherwise,
     * retries may go on for as long as one attempt may take.
     */
    static ClusterResilienceConfig withTotalTimeout(ClusterResilienceConfig config, Duration subgraphTimeout) {
        RetryConfig retry = config.retry();
        if (!retry.totalTimeout().equals(RetryConfig.DEFAULT_TOTAL_TIMEOUT) || subgraphTimeout.compareTo(retry.totalTimeout()) <= 0) {
            return config;
        }
        RetryConfig longer = new RetryConfig(retry.maxAttempts(), retry.retryOn(), retry.retriableStatuses(),
                retry.perTryTimeout(), subgraphTimeout, retry.backoffBase(), retry.backoffMax(), retry.budget());
        return new ClusterResilienceConfig(config.loadBalancing(), config.healthCheck(), config.outlierDetection(),
                config.circuitBreaker(), longer);
    }

    @Override
    public CompletionStage<SubgraphResponse> fetch(SubgraphRequest request) {
        SubgraphCluster cluster = clusters.of(request);
        boolean mutation = request.mutation();
        if (!cluster.deduplicate() || mutation) {
            return new Call(request, cluster, mutation).start();
        }
        SubgraphRequest.Identical key = request.identical();
        CompletableFuture<SubgraphResponse> shared = new CompletableFuture<>();
        CompletableFuture<SubgraphResponse> leader = cluster.inFlight().putIfAbsent(key, shared);
        if (leader == null) {
            new Call(request, cluster, false).start().whenComplete((response, failure) -> {
                cluster.inFlight().remove(key, shared);
                if (failure != null) {
                    shared.completeExceptionally(failure);
                } else {
                    shared.complete(response);
                }
            });
            leader = shared;
        } else {
            cluster.deduplicated().increment();
        }
        // Every caller merges into (mutates) its response: each gets its own copy of the shared one.
        return leader.thenApply(SubgraphResponse::copy);
    }

    /** One subgraph request across its attempts; attempts run one after another, each completing on some thread. */
    private final class Call {
        private final SubgraphRequest request;
        private final SubgraphCluster cluster;
        private final UpstreamCall call;
        private final CompletableFuture<SubgraphResponse> result = new CompletableFuture<>();
        private final long startedAt = System.nanoTime();
        /** The request's trace (from the traceparent this call sends), for what its attempts' outcomes log. */
        private final String traceId;

        Call(SubgraphRequest request, SubgraphCluster cluster, boolean mutation) {
            this.request = request;
            this.cluster = cluster;
            this.call = cluster.cluster().newCall(!mutation);
            this.traceId = io.atrium.policy.observability.TraceParent.traceIdOf(
                    request.headers().get(io.atrium.router.observe.TraceContext.HEADER));
        }

        CompletableFuture<SubgraphResponse> start() {
            attempt();
            return result.whenComplete((response, failure) -> RouterMetrics.subgraphFetch(request.subgraphName(),
                    failure == null ? (response.errors().isEmpty() ? "ok" : "graphql_errors")
                            : failure instanceof SubgraphFetchException e && e.circuitOpen() ? "circuit_open" : "failed",
                    System.nanoTime() - startedAt));
        }

        private void attempt() {
            Selection selection = call.nextAttempt();
            if (selection instanceof Selection.CircuitOpen open) {
                call.finish();
                result.completeExceptionally(SubgraphFetchException.circuitOpen(request.subgraphName(), open.retryAfterSeconds()));
                return;
            }
            Selection.Selected selected = (Selection.Selected) selection;
            long timeoutNanos = Math.min(request.timeout().toNanos(), Math.max(1_000_000, call.attemptTimeoutNanos()));
            SubgraphRequest attempt = request.to(cluster.urls().get(selected.endpoint().index()), Duration.ofNanos(timeoutNanos));
            CompletionStage<SubgraphResponse> sent;
            try {
                sent = delegate.fetch(attempt);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete(this::attemptEnded);
        }

        /** An attempt ended, on whichever thread completed it: what it logs (ejections, circuit changes) names the trace. */
        private void attemptEnded(SubgraphResponse response, Throwable failure) {
            try (var logs = io.atrium.policy.observability.LogTrace.open(traceId, null)) {
                afterAttempt(response, failure);
            }
        }

        private void afterAttempt(SubgraphResponse response, Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            AttemptOutcome outcome = response != null ? AttemptOutcome.response(response.status()) : outcomeOf(cause);
            RetryDecision decision;
            try {
                decision = call.attemptFinished(outcome);
            } catch (RuntimeException e) {
                decision = RetryDecision.NoRetry.of(RetryDecision.Reason.NOT_RETRIABLE);
            }
            if (decision instanceof RetryDecision.Retry retry) {
                schedule(retry.delayNanos(), this::attempt);
                return;
            }
            call.finish();
            if (response != null) {
                result.complete(response);
            } else {
                result.completeExceptionally(cause instanceof SubgraphFetchException ? cause : new SubgraphFetchException(
                        "HTTP fetch failed from '" + request.subgraphName() + "': " + cause, cause));
            }
        }

        private void schedule(long delayNanos, Runnable task) {
            Runnable guarded = () -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    call.finish();
                    result.completeExceptionally(e);
                }
            };
            EventExecutor loop = ThreadExecutorMap.currentExecutor();
            if (loop != null && !loop.isShuttingDown()) {
                loop.schedule(guarded, delayNanos, TimeUnit.NANOSECONDS);
            } else {
                CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(guarded);
            }
        }
    }

    /** A failure the transport could not classify may have reached the subgraph: counted, never retried. */
    private static AttemptOutcome outcomeOf(Throwable cause) {
        if (cause instanceof SubgraphFetchException e && e.outcome() != null) {
            return e.outcome();
        }
        return AttemptOutcome.Failure.RESPONSE_INTERRUPTED;
    }
}
