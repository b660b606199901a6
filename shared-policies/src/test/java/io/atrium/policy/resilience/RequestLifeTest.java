package io.atrium.policy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Requests driven through {@link UpstreamCall} the way the edge does, against a cluster with one dead endpoint. */
class RequestLifeTest {

    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();
    private final UpstreamCluster cluster = UpstreamCluster.builder("orders", new ClusterResilienceConfig(LoadBalancing.ROUND_ROBIN,
                    null, OutlierDetectionConfig.DEFAULT, CircuitBreakerConfig.DEFAULT, RetryConfig.DEFAULT))
            .endpoint("up-1").endpoint("dead").endpoint("up-2").nanoClock(clock).random(new SplittableRandom(1)).listener(listener).build();

    /** One request; "dead" refuses connections, the others answer 201. Returns the final status (0: gave up). */
    private int request(String method, Map<String, Integer> attemptsPerEndpoint) {
        UpstreamCall call = cluster.newCall(method);
        try {
            while (true) {
                Selection selection = call.nextAttempt();
                if (!(selection instanceof Selection.Selected selected)) {
                    return 503;
                }
                String id = selected.endpoint().id();
                attemptsPerEndpoint.merge(id, 1, Integer::sum);
                AttemptOutcome outcome = id.equals("dead") ? AttemptOutcome.Failure.CONNECT_FAILED : AttemptOutcome.response(201);
                clock.advance(Duration.ofMillis(2));
                switch (call.attemptFinished(outcome)) {
                    case RetryDecision.Retry retry -> clock.advance(Duration.ofNanos(retry.delayNanos()));
                    case RetryDecision.NoRetry done -> {
                        return outcome instanceof AttemptOutcome.Response response ? response.status() : 0;
                    }
                }
            }
        } finally {
            call.finish();
        }
    }

    @Test
    void aDeadEndpointCostsRetriesUntilItIsEjectedAndComesBackAfterTheEjectionTime() {
        Map<String, Integer> attempts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            assertThat(request("POST", attempts)).as("POST is retried: a refused connection never reached the upstream").isEqualTo(201);
        }
        assertThat(attempts.get("dead")).as("ejected after 5 consecutive connect failures").isEqualTo(5);
        assertThat(cluster.endpoints().get(1).ejected()).isTrue();
        assertThat(cluster.circuitBreaker().orElseThrow().state()).as("5 failures in 35 calls").isEqualTo(CircuitState.CLOSED);

        clock.advance(Duration.ofSeconds(30));
        attempts.clear();
        for (int i = 0; i < 6; i++) {
            request("GET", attempts);
        }
        assertThat(attempts.get("dead")).as("back in rotation after the base ejection time").isPositive();
        assertThat(listener.of(ResilienceEvent.EndpointReturned.class)).hasSize(1);
        assertThat(cluster.retryBudget().activeRequests()).isZero();
        assertThat(cluster.retryBudget().activeRetries()).isZero();
        assertThat(cluster.endpoints()).allSatisfy(e -> assertThat(e.inFlight()).isZero());
    }
}
