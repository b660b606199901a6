package io.atrium.policy.resilience;

/**
 * The resilience bookkeeping of one request to a cluster, across its attempts. Used by one thread at a time (the
 * request's event loop); not thread-safe. The life of a request:
 *
 * <pre>{@code
 * UpstreamCall call = cluster.newCall(method);
 * try {
 *     Selection selection = call.nextAttempt();          // circuit breaker, then load balancer
 *     // CircuitOpen -> answer CircuitBreaker.reply(...) (503 UPSTREAM_CIRCUIT_OPEN)
 *     // Selected    -> send to selection.endpoint(), arm a timer of call.attemptTimeoutNanos()
 *     RetryDecision next = call.attemptFinished(outcome); // outlier detection, circuit breaker, retry rules + budget
 *     // Retry   -> schedule call.nextAttempt() after delayNanos()
 *     // NoRetry -> forward the response (or answer 502/504); call.responseStarted() once bytes go to the client
 * } finally {
 *     call.finish();
 * }
 * }</pre>
 */
public final class UpstreamCall {

    private final UpstreamCluster cluster;
    private final boolean idempotent;
    private final long startedAtNanos;
    private int attempts;
    private ClusterEndpoint endpoint;
    private ClusterEndpoint previous;
    private CircuitPermit.Admitted permit;
    private long attemptStartedAtNanos;
    private boolean inAttempt;
    private boolean retryReserved;
    private boolean responseStarted;
    private boolean finished;

    UpstreamCall(UpstreamCluster cluster, boolean idempotent) {
        this.cluster = cluster;
        this.idempotent = idempotent;
        this.startedAtNanos = cluster.nanoTime();
        cluster.retryBudget().requestStarted();
    }

    /**
     * Admits the next attempt through the circuit breaker and picks its endpoint (avoiding the previous attempt's
     * endpoint when another is available). The endpoint's in-flight count is incremented until
     * {@link #attemptFinished} or {@link #finish()}.
     */
    public Selection nextAttempt() {
        if (finished || inAttempt) {
            throw new IllegalStateException(finished ? "the call is finished" : "the previous attempt has not finished");
        }
        CircuitBreaker breaker = cluster.breakerOrNull();
        if (breaker != null) {
            CircuitPermit granted = breaker.acquire();
            if (granted instanceof CircuitPermit.Rejected rejected) {
                releaseRetry();
                return new Selection.CircuitOpen(rejected.retryAfterSeconds());
            }
            permit = (CircuitPermit.Admitted) granted;
        }
        Selection.Selected selected = cluster.select(previous);
        endpoint = selected.endpoint();
        endpoint.requestStarted();
        attempts++;
        attemptStartedAtNanos = cluster.nanoTime();
        inAttempt = true;
        return selected;
    }

    /**
     * How long the current attempt may wait for a response head: the per-try timeout, bounded by what is left of the
     * total timeout. Without a per-try timeout this is the remaining total; the edge applies its own response
     * timeout as well.
     */
    public long attemptTimeoutNanos() {
        long remaining = cluster.retryPolicy().totalTimeoutNanos() - (cluster.nanoTime() - startedAtNanos);
        long perTry = cluster.retryPolicy().perTryTimeoutNanos();
        return Math.max(0, perTry == 0 ? remaining : Math.min(perTry, remaining));
    }

    /** Response bytes went to the client: from now on nothing is retried. */
    public void responseStarted() {
        responseStarted = true;
    }

    /**
     * Records how the current attempt ended (endpoint in-flight count, outlier detection, circuit breaker) and
     * decides whether to retry. A granted retry holds one unit of the cluster's retry budget until that retry ends.
     */
    public RetryDecision attemptFinished(AttemptOutcome outcome) {
        if (!inAttempt) {
            throw new IllegalStateException("no attempt in progress");
        }
        long now = cluster.nanoTime();
        endAttempt();
        OutlierDetector outliers = cluster.outliersOrNull();
        if (outliers != null) {
            outliers.record(endpoint, outcome);
        }
        if (permit != null) {
            cluster.breakerOrNull().record(permit, outcome.failed(), now - attemptStartedAtNanos, now);
            permit = null;
        }
        releaseRetry();
        previous = endpoint;
        RetryDecision decision = cluster.retryPolicy().decide(idempotent, outcome, attempts, now - startedAtNanos, responseStarted);
        if (decision instanceof RetryDecision.Retry) {
            if (!cluster.retryBudget().tryAcquireRetry()) {
                decision = RetryDecision.NoRetry.of(RetryDecision.Reason.BUDGET_EXHAUSTED);
            } else {
                retryReserved = true;
                cluster.listener().onEvent(cluster.retryEvent);
                return decision;
            }
        }
        RetryDecision.Reason reason = ((RetryDecision.NoRetry) decision).reason();
        if (reason.denied()) {
            cluster.listener().onEvent(cluster.deniedEvents.get(reason));
        }
        return decision;
    }

    /** Ends the call: releases whatever an unfinished attempt or an unused retry held. Idempotent. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (inAttempt) {
            endAttempt();
            if (permit != null) {
                cluster.breakerOrNull().release(permit);
                permit = null;
            }
        }
        releaseRetry();
        cluster.retryBudget().requestFinished();
    }

    /** Attempts started so far. */
    public int attempts() {
        return attempts;
    }

    /** The endpoint of the current (or last) attempt, or null before the first. */
    public ClusterEndpoint endpoint() {
        return endpoint;
    }

    private void endAttempt() {
        endpoint.requestFinished();
        inAttempt = false;
    }

    private void releaseRetry() {
        if (retryReserved) {
            retryReserved = false;
            cluster.retryBudget().releaseRetry();
        }
    }
}
