package io.atrium.policy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryTest {

    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();

    private UpstreamCluster cluster(RetryConfig retry, CircuitBreakerConfig breaker) {
        return UpstreamCluster.builder("orders", new ClusterResilienceConfig(null, null, null, breaker, retry))
                .endpoint("a").endpoint("b").endpoint("c").nanoClock(clock).listener(listener).random(new SplittableRandom(7)).build();
    }

    private static RetryConfig attempts(int maxAttempts) {
        return new RetryConfig(maxAttempts, null, null, null, null, null, null, null);
    }

    private static RetryDecision.Reason reason(RetryDecision decision) {
        return decision instanceof RetryDecision.NoRetry no ? no.reason() : null;
    }

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource({
            "GET,     CONNECT_FAILED,            retry",
            "POST,    CONNECT_FAILED,            retry",
            "POST,    RESET_BEFORE_REQUEST_SENT, retry",
            "POST,    RESET_BEFORE_RESPONSE,     NOT_IDEMPOTENT",
            "PATCH,   PER_TRY_TIMEOUT,           NOT_IDEMPOTENT",
            "POST,    503,                       NOT_IDEMPOTENT",
            "PUT,     RESET_BEFORE_RESPONSE,     retry",
            "DELETE,  PER_TRY_TIMEOUT,           retry",
            "HEAD,    502,                       retry",
            "OPTIONS, 504,                       retry",
            "TRACE,   503,                       retry",
            "GET,     500,                       NOT_RETRIABLE",
            "GET,     200,                       NOT_RETRIABLE",
            "GET,     429,                       NOT_RETRIABLE",
            "GET,     RESPONSE_INTERRUPTED,      RESPONSE_STARTED",
    })
    void retriesOnlyIdempotentMethodsUnlessTheRequestWasNeverSent(String method, String outcome, String expected) {
        assertFirstAttemptDecision(cluster(attempts(3), null).newCall(method), outcome, expected);
    }

    /** One attempt ending with {@code outcome} (a status or an {@link AttemptOutcome.Failure}): retry or the reason not. */
    private static void assertFirstAttemptDecision(UpstreamCall call, String outcome, String expected) {
        call.nextAttempt();
        AttemptOutcome attempt = Character.isDigit(outcome.charAt(0))
                ? AttemptOutcome.response(Integer.parseInt(outcome)) : AttemptOutcome.Failure.valueOf(outcome);
        RetryDecision decision = call.attemptFinished(attempt);
        if (expected.equals("retry")) {
            assertThat(decision).isInstanceOf(RetryDecision.Retry.class);
        } else {
            assertThat(reason(decision)).isEqualTo(RetryDecision.Reason.valueOf(expected));
        }
        call.finish();
    }

    @ParameterizedTest(name = "idempotent={0} after {1} -> {2}")
    @CsvSource({
            "true,  RESET_BEFORE_RESPONSE, retry",
            "true,  503,                   retry",
            "false, CONNECT_FAILED,        retry",
            "false, RESET_BEFORE_RESPONSE, NOT_IDEMPOTENT",
            "false, PER_TRY_TIMEOUT,       NOT_IDEMPOTENT",
            "false, 503,                   NOT_IDEMPOTENT",
    })
    void aCallerThatKnowsIdempotenceBeyondTheMethodDecidesIt(boolean idempotent, String outcome, String expected) {
        // a GraphQL query over POST is idempotent, a mutation is not
        assertFirstAttemptDecision(cluster(attempts(3), null).newCall(idempotent), outcome, expected);
    }

    @Test
    void onlyConfiguredConditionsAreRetried() {
        RetryConfig onlyConnect = new RetryConfig(3, EnumSet.of(RetryOn.CONNECT_FAILURE), null, null, null, null, null, null);
        UpstreamCall call = cluster(onlyConnect, null).newCall("GET");
        call.nextAttempt();
        assertThat(reason(call.attemptFinished(AttemptOutcome.response(503)))).isEqualTo(RetryDecision.Reason.NOT_RETRIABLE);
        call.nextAttempt();
        assertThat(call.attemptFinished(AttemptOutcome.Failure.CONNECT_FAILED)).isInstanceOf(RetryDecision.Retry.class);
    }

    @Test
    void neverRetriesOnceResponseBytesWentToTheClient() {
        UpstreamCall call = cluster(attempts(3), null).newCall("GET");
        call.nextAttempt();
        call.responseStarted();
        assertThat(reason(call.attemptFinished(AttemptOutcome.Failure.RESET_BEFORE_RESPONSE))).isEqualTo(RetryDecision.Reason.RESPONSE_STARTED);
    }

    @Test
    void stopsAtMaxAttemptsAndMovesToAnotherEndpoint() {
        UpstreamCluster cluster = cluster(attempts(3), null);
        UpstreamCall call = cluster.newCall("GET");
        ClusterEndpoint first = ((Selection.Selected) call.nextAttempt()).endpoint();
        assertThat(first.inFlight()).isEqualTo(1);
        assertThat(call.attemptFinished(AttemptOutcome.response(503))).isInstanceOf(RetryDecision.Retry.class);
        assertThat(first.inFlight()).isZero();
        ClusterEndpoint second = ((Selection.Selected) call.nextAttempt()).endpoint();
        assertThat(second).isNotSameAs(first);
        assertThat(call.attemptFinished(AttemptOutcome.response(503))).isInstanceOf(RetryDecision.Retry.class);
        call.nextAttempt();
        assertThat(reason(call.attemptFinished(AttemptOutcome.response(503)))).isEqualTo(RetryDecision.Reason.ATTEMPTS_EXHAUSTED);
        assertThat(call.attempts()).isEqualTo(3);
        call.finish();
        assertThat(cluster.retryBudget().activeRequests()).isZero();
        assertThat(cluster.retryBudget().activeRetries()).isZero();
        assertThat(listener.of(ResilienceEvent.RetryAttempted.class)).hasSize(2);
        assertThat(listener.of(ResilienceEvent.RetryDenied.class)).extracting(ResilienceEvent.RetryDenied::reason)
                .containsExactly(RetryDecision.Reason.ATTEMPTS_EXHAUSTED);
    }

    @Test
    void budgetLimitsRetriesToAShareOfActiveRequests() {
        RetryConfig config = new RetryConfig(3, null, null, null, null, null, null, new RetryBudgetConfig(20, 2));
        UpstreamCluster cluster = cluster(config, null);
        UpstreamCall[] calls = new UpstreamCall[20];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = cluster.newCall("GET");
            calls[i].nextAttempt();
        }
        int granted = 0;
        int denied = 0;
        for (UpstreamCall call : calls) {
            RetryDecision decision = call.attemptFinished(AttemptOutcome.Failure.CONNECT_FAILED);
            if (decision instanceof RetryDecision.Retry) {
                granted++;
            } else {
                assertThat(reason(decision)).isEqualTo(RetryDecision.Reason.BUDGET_EXHAUSTED);
                denied++;
            }
        }
        assertThat(granted).as("20% of 20 active requests").isEqualTo(4);
        assertThat(denied).isEqualTo(16);
        assertThat(cluster.retryBudget().activeRetries()).isEqualTo(4);

        // A granted retry holds its budget until it ends; then another request may retry.
        for (UpstreamCall call : calls) {
            call.finish();
        }
        assertThat(cluster.retryBudget().activeRetries()).isZero();
        assertThat(cluster.retryBudget().activeRequests()).isZero();

        UpstreamCall lone = cluster.newCall("GET");
        lone.nextAttempt();
        assertThat(lone.attemptFinished(AttemptOutcome.Failure.CONNECT_FAILED))
                .as("the minimum concurrency allows retries at low traffic").isInstanceOf(RetryDecision.Retry.class);
        lone.nextAttempt();
        assertThat(cluster.retryBudget().activeRetries()).isEqualTo(1);
        lone.attemptFinished(AttemptOutcome.response(200));
        assertThat(cluster.retryBudget().activeRetries()).isZero();
        lone.finish();
        assertThat(listener.of(ResilienceEvent.RetryDenied.class)).hasSize(16);
    }

    @Test
    void backoffIsFullJitterWithinExponentialBounds() {
        RetryPolicy policy = new RetryPolicy(new RetryConfig(5, null, null, null, null, Duration.ofMillis(10), Duration.ofMillis(50), null),
                new SplittableRandom(3));
        long[] ceilings = {10, 20, 40, 50, 50, 50};
        for (int retry = 1; retry <= ceilings.length; retry++) {
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 2_000; i++) {
                long delay = policy.backoffNanos(retry);
                max = Math.max(max, delay);
                min = Math.min(min, delay);
            }
            long ceiling = Duration.ofMillis(ceilings[retry - 1]).toNanos();
            assertThat(max).as("retry %d", retry).isLessThanOrEqualTo(ceiling).isGreaterThan(ceiling * 9 / 10);
            assertThat(min).as("full jitter reaches down to zero").isLessThan(ceiling / 10);
        }
        assertThat(policy.backoffNanos(200)).isLessThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void totalTimeoutBoundsAttemptsAndBackoff() {
        RetryConfig config = new RetryConfig(5, null, null, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(100),
                Duration.ofMillis(100), null);
        UpstreamCall call = cluster(config, null).newCall("GET");
        call.nextAttempt();
        assertThat(call.attemptTimeoutNanos()).as("the per-try timeout").isEqualTo(Duration.ofSeconds(2).toNanos());
        clock.advance(Duration.ofSeconds(2));
        assertThat(call.attemptFinished(AttemptOutcome.Failure.PER_TRY_TIMEOUT)).isInstanceOf(RetryDecision.Retry.class);
        call.nextAttempt();
        assertThat(call.attemptTimeoutNanos()).as("what is left of the total").isEqualTo(Duration.ofSeconds(1).toNanos());
        clock.advance(Duration.ofSeconds(1));
        assertThat(reason(call.attemptFinished(AttemptOutcome.Failure.PER_TRY_TIMEOUT)))
                .as("no time left for another attempt").isEqualTo(RetryDecision.Reason.TOTAL_TIMEOUT);
        call.finish();
    }

    @Test
    void anOpenCircuitStopsTheNextAttempt() {
        CircuitBreakerConfig breaker = new CircuitBreakerConfig(null, 2, 2, 50, Duration.ofSeconds(7), 1, null);
        UpstreamCluster cluster = cluster(attempts(3), breaker);
        UpstreamCall call = cluster.newCall("GET");
        call.nextAttempt();
        assertThat(call.attemptFinished(AttemptOutcome.response(502))).isInstanceOf(RetryDecision.Retry.class);
        call.nextAttempt();
        assertThat(call.attemptFinished(AttemptOutcome.response(502))).isInstanceOf(RetryDecision.Retry.class);
        assertThat(cluster.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitState.OPEN);
        assertThat(call.nextAttempt()).isEqualTo(new Selection.CircuitOpen(7));
        assertThat(cluster.retryBudget().activeRetries()).as("the refused retry gave its budget back").isZero();
        call.finish();
        assertThat(cluster.endpoints()).allSatisfy(e -> assertThat(e.inFlight()).isZero());
    }

    @Test
    void finishingMidAttemptReleasesEverything() {
        UpstreamCluster cluster = cluster(attempts(2), CircuitBreakerConfig.DEFAULT);
        UpstreamCall call = cluster.newCall("GET");
        ClusterEndpoint endpoint = ((Selection.Selected) call.nextAttempt()).endpoint();
        call.finish();
        call.finish();
        assertThat(endpoint.inFlight()).isZero();
        assertThat(cluster.retryBudget().activeRequests()).isZero();
    }
}
