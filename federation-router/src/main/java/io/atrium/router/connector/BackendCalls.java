package io.atrium.router.connector;

import io.atrium.policy.resilience.AttemptOutcome;
import io.atrium.policy.resilience.CircuitBreakerConfig;
import io.atrium.policy.resilience.ClusterResilienceConfig;
import io.atrium.policy.resilience.ResilienceMetrics;
import io.atrium.policy.resilience.RetryConfig;
import io.atrium.policy.resilience.RetryDecision;
import io.atrium.policy.resilience.Selection;
import io.atrium.policy.resilience.UpstreamCall;
import io.atrium.policy.resilience.UpstreamCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every backend call of every connector goes through here: the shared-policies resilience of GraphQL subgraph calls
 * (per-attempt timeout bounded by the subgraph fetch's deadline, retries for safe calls only with backoff and a retry
 * budget, a circuit breaker per backend), a timer per connector coordinate and outcome, and a log line for each
 * failed call. Protocol-neutral: the protocol does one attempt and says how it ended.
 *
 * <p>Meters: {@code atrium.connector.calls} (timer; tags {@code subgraph}, {@code connector} = the coordinate,
 * {@code outcome} = {@code 2xx}…{@code 5xx}, {@code timeout}, {@code connect_failed}, {@code reset},
 * {@code circuit_open}); the shared {@code atrium.circuit_breaker.*} and {@code atrium.retry.*} meters with
 * {@code cluster = connector:<subgraph>:<backend>}.
 */
public final class BackendCalls {

    private static final Logger LOG = LoggerFactory.getLogger(BackendCalls.class);

    /** Breaker on (shared-policies defaults), retries of safe calls (2 attempts), no outlier detection (one endpoint). */
    public static final ClusterResilienceConfig DEFAULT_RESILIENCE =
            new ClusterResilienceConfig(null, null, null, CircuitBreakerConfig.DEFAULT, RetryConfig.DEFAULT);

    private final MeterRegistry registry;
    private final ClusterResilienceConfig resilience;
    private final Map<String, UpstreamCluster> clusters = new ConcurrentHashMap<>();
    /** {@link #clusters} by call site: no key string built per call. */
    private final Map<CallSite, UpstreamCluster> bySite = new ConcurrentHashMap<>();
    /** Subgraph → its resilience from the router config ({@code subgraphs.<name>} blocks), else {@link #resilience}. */
    private final Map<String, ClusterResilienceConfig> perSubgraph = new ConcurrentHashMap<>();
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    private record TimerKey(CallSite site, String outcome) {
    }

    public BackendCalls(MeterRegistry registry, ClusterResilienceConfig resilience) {
        this.registry = registry;
        this.resilience = resilience;
    }

    /**
     * The resilience of a subgraph's backends, as the router config gives it for the subgraph (the same blocks as a
     * GraphQL subgraph's: circuit breaker, retry, …). Backends already called keep theirs until the router restarts.
     */
    public void configure(String subgraph, ClusterResilienceConfig config) {
        perSubgraph.put(subgraph, config);
    }

    /**
     * Runs a backend call with its attempts.
     *
     * @param safe    true when the call has no side effects (REST GET/HEAD/OPTIONS, a gRPC method declared
     *                side-effect free): only then is an attempt that may have reached the backend retried
     * @param attempt one attempt, given its timeout, which it enforces itself (the protocols' clients time their
     *                requests out on their own threads: no timer here); completes with {@link Attempted} or
     *                exceptionally with {@link BackendFailure} ({@code PER_TRY_TIMEOUT} when it timed out; anything
     *                else counts as a reset after the request was sent)
     * @return the final attempt's value (whatever its status), or a {@link ConnectorException} ({@code
     *         CONNECTOR_FETCH}, {@code CONNECTOR_CIRCUIT_OPEN}) when no attempt produced an answer
     */
    public <T> CompletionStage<Attempted<T>> call(CallSite site, boolean safe, CallContext context,
                                                  Function<Duration, CompletionStage<Attempted<T>>> attempt) {
        return call(site, safe, context, null, attempt);
    }

    /**
     * Runs a backend call with its attempts; with tracing on, the call is a span whose context (and the caller's
     * baggage) goes to the backend: {@code traceHeaders} receives those headers before the first attempt.
     *
     * @param traceHeaders where the call's trace headers go (a request builder's, gRPC metadata); null = not sent
     */
    public <T> CompletionStage<Attempted<T>> call(CallSite site, boolean safe, CallContext context,
                                                  java.util.function.BiConsumer<String, String> traceHeaders,
                                                  Function<Duration, CompletionStage<Attempted<T>>> attempt) {
        UpstreamCluster cluster = bySite.get(site);
        if (cluster == null) { // a site's cluster is its backend's, shared by every connector calling that backend
            cluster = bySite.computeIfAbsent(site, s -> clusters.computeIfAbsent(s.subgraph() + ":" + s.backend(),
                    name -> cluster(name, perSubgraph.getOrDefault(s.subgraph(), resilience))));
        }
        UpstreamCall call = cluster.newCall(safe ? "GET" : "POST");
        CompletableFuture<Attempted<T>> result = new CompletableFuture<>();
        long started = System.nanoTime();
        io.opentelemetry.api.trace.Span span = context.spans() == null ? null
                : context.spans().backendCall(site.subgraph(), site.backend(), site.coordinate());
        if (span != null && traceHeaders != null) {
            context.spans().inject(span, traceHeaders);
        }
        next(site, call, context, attempt, result);
        return result.whenComplete((done, failure) -> {
            call.finish();
            record(site, context, done, failure, System.nanoTime() - started, call.attempts());
            if (span != null) {
                io.atrium.router.observe.OperationSpans.called(span, done == null ? 0 : done.outcome().status(),
                        call.attempts(), failure);
            }
        });
    }

    private UpstreamCluster cluster(String name, ClusterResilienceConfig config) {
        String cluster = "connector:" + name;
        return UpstreamCluster.builder(cluster, config).endpoint("backend")
                .listener(new ResilienceMetrics(registry, cluster)).build();
    }

    private <T> void next(CallSite site, UpstreamCall call, CallContext context,
                          Function<Duration, CompletionStage<Attempted<T>>> attempt, CompletableFuture<Attempted<T>> result) {
        if (call.nextAttempt() instanceof Selection.CircuitOpen open) {
            result.completeExceptionally(failure(site, ConnectorErrorCodes.CONNECTOR_CIRCUIT_OPEN,
                    "calls to this backend are paused after repeated failures; retry after " + open.retryAfterSeconds() + " s",
                    Map.of("retryAfterSeconds", open.retryAfterSeconds())));
            return;
        }
        long timeoutNanos = Math.min(call.attemptTimeoutNanos(), context.remaining().toNanos());
        if (timeoutNanos <= 0) {
            call.attemptFinished(AttemptOutcome.Failure.PER_TRY_TIMEOUT);
            result.completeExceptionally(failure(site, ConnectorErrorCodes.CONNECTOR_FETCH,
                    "the backend call timed out", Map.of()));
            return;
        }
        CompletableFuture<Attempted<T>> one;
        try {
            one = attempt.apply(Duration.ofNanos(timeoutNanos)).toCompletableFuture();
        } catch (RuntimeException e) {
            one = CompletableFuture.failedFuture(e);
        }
        one.whenComplete((answer, error) -> {
            AttemptOutcome outcome = answer != null ? answer.outcome() : outcomeOf(error);
            RetryDecision decision = call.attemptFinished(outcome);
            if (decision instanceof RetryDecision.Retry retry) {
                // on the event loop the attempt was answered on (the request's): the next attempt's connection and
                // answer stay there, as the first's did; a pool thread only for callers off any loop
                io.netty.util.concurrent.EventExecutor loop = io.netty.util.internal.ThreadExecutorMap.currentExecutor();
                Runnable again = () -> {
                    try {
                        next(site, call, context, attempt, result);
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                };
                if (loop != null && !loop.isShuttingDown()) {
                    loop.schedule(again, retry.delayNanos(), TimeUnit.NANOSECONDS);
                } else {
                    CompletableFuture.delayedExecutor(retry.delayNanos(), TimeUnit.NANOSECONDS).execute(again);
                }
            } else if (answer != null) {
                result.complete(answer);
            } else {
                result.completeExceptionally(failure(site, ConnectorErrorCodes.CONNECTOR_FETCH,
                        outcome == AttemptOutcome.Failure.PER_TRY_TIMEOUT ? "the backend call timed out"
                                : "the backend call failed: " + describe(error), Map.of()));
            }
        });
    }

    private static AttemptOutcome outcomeOf(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof BackendFailure failure) {
            return failure.failure();
        }
        if (cause instanceof TimeoutException) {
            return AttemptOutcome.Failure.PER_TRY_TIMEOUT;
        }
        return AttemptOutcome.Failure.RESET_BEFORE_RESPONSE;
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** The GraphQL error of a call that got no answer; the coordinate names the connector, never a backend URL. */
    public static ConnectorException failure(CallSite site, String code, String message, Map<String, Object> more) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", code);
        extensions.put("service", site.subgraph());
        extensions.put("connector", Map.of("coordinate", site.coordinate()));
        extensions.putAll(more);
        return new ConnectorException(message, extensions);
    }

    private void record(CallSite site, CallContext context, Attempted<?> done, Throwable failure, long nanos, int attempts) {
        String outcome;
        if (done != null) {
            outcome = (done.outcome().status() / 100) + "xx";
        } else if (failure instanceof ConnectorException e && ConnectorErrorCodes.CONNECTOR_CIRCUIT_OPEN.equals(e.code())) {
            outcome = "circuit_open";
        } else {
            outcome = failure != null && failure.getMessage() != null && failure.getMessage().contains("timed out")
                    ? "timeout" : "failed";
        }
        timers.computeIfAbsent(new TimerKey(site, outcome), key -> Timer.builder("atrium.connector.calls")
                .tag("subgraph", site.subgraph()).tag("connector", site.coordinate()).tag("outcome", outcome)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        boolean failed = done == null || done.outcome().status() >= 500;
        if (!failed && !LOG.isDebugEnabled()) {
            return;
        }
        String traceId = io.atrium.policy.observability.TraceParent.traceIdOf(
                context.headers().get(io.atrium.router.observe.TraceContext.HEADER));
        try (var logs = io.atrium.policy.observability.LogTrace.open(traceId, null)) { // on the backend's thread
            if (failed) {
                LOG.warn("connector call failed: subgraph={} connector={} outcome={} attempts={} ms={}", site.subgraph(),
                        site.coordinate(), outcome, attempts, nanos / 1_000_000);
            } else {
                LOG.debug("connector call: subgraph={} connector={} outcome={} attempts={} ms={}", site.subgraph(),
                        site.coordinate(), outcome, attempts, nanos / 1_000_000);
            }
        }
    }
}
