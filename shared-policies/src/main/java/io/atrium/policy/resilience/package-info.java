/**
 * Resilience of calls to upstream clusters: load balancing (round-robin, least-request P2C, smooth weighted),
 * active health checking, passive outlier detection, a circuit breaker per cluster, and retries with backoff and a
 * retry budget. The library decides; the deployable does the I/O.
 *
 * <p>Entry point: one {@link io.atrium.policy.resilience.UpstreamCluster} per configured cluster (built at config
 * load, shared by all event loops), and per request an {@link io.atrium.policy.resilience.UpstreamCall}:
 * <pre>{@code
 * UpstreamCall call = cluster.newCall(request.method());
 * Selection selection = call.nextAttempt();
 * switch (selection) {
 *     case Selection.CircuitOpen open -> reply(CircuitBreaker.reply(open.retryAfterSeconds(), path, requestId));
 *     case Selection.Selected picked -> send(picked.endpoint(), call.attemptTimeoutNanos());
 * }
 * // when the attempt ends (response head, connect failure, reset, per-try timeout):
 * switch (call.attemptFinished(outcome)) {
 *     case RetryDecision.Retry retry -> schedule(retry.delayNanos(), () -> call.nextAttempt() ...);
 *     case RetryDecision.NoRetry done -> forward the response (call.responseStarted()) or answer 502/504;
 * }
 * call.finish(); // always, when the exchange ends
 * }</pre>
 * Probes: for each endpoint, {@code cluster.healthChecker()} says when ({@code nanosUntilProbe}) and where
 * ({@code config().path()}); the edge reports {@code report(endpoint, ProbeResult)}.
 *
 * <p>Everything on the request path is lock-free and allocation-free (besides the {@code UpstreamCall} itself);
 * time comes from an injectable nanosecond clock.
 */
package io.atrium.policy.resilience;
