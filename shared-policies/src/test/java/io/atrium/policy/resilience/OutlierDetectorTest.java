package io.atrium.policy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {

    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();

    private UpstreamCluster cluster(int endpoints, int maxEjectionPercent) {
        OutlierDetectionConfig config = new OutlierDetectionConfig(3, 2, Duration.ofSeconds(10), Duration.ofSeconds(25), maxEjectionPercent);
        UpstreamCluster.Builder builder = UpstreamCluster.builder("orders", new ClusterResilienceConfig(null, null, config, null, RetryConfig.NONE))
                .nanoClock(clock).listener(listener);
        for (int i = 0; i < endpoints; i++) {
            builder.endpoint("e" + i);
        }
        return builder.build();
    }

    private static void fail(UpstreamCluster cluster, ClusterEndpoint endpoint, AttemptOutcome outcome, int times) {
        for (int i = 0; i < times; i++) {
            cluster.outlierDetector().orElseThrow().record(endpoint, outcome);
        }
    }

    @Test
    void consecutive5xxEjectsAndTheEndpointReturnsAfterTheEjectionTime() {
        UpstreamCluster cluster = cluster(4, 50);
        ClusterEndpoint e0 = cluster.endpoints().get(0);
        fail(cluster, e0, AttemptOutcome.response(500), 2);
        fail(cluster, e0, AttemptOutcome.response(200), 1);
        fail(cluster, e0, AttemptOutcome.response(503), 2);
        assertThat(e0.ejected()).as("a success in between resets the count").isFalse();
        fail(cluster, e0, AttemptOutcome.Failure.PER_TRY_TIMEOUT, 1);
        assertThat(e0.ejected()).as("timeouts count as 5xx").isTrue();
        assertThat(cluster.availableEndpoints()).extracting(ClusterEndpoint::id).containsExactly("e1", "e2", "e3");
        assertThat(listener.of(ResilienceEvent.EndpointEjected.class)).containsExactly(new ResilienceEvent.EndpointEjected(
                "orders", "e0", ResilienceEvent.EjectionReason.CONSECUTIVE_5XX, Duration.ofSeconds(10), 1));

        clock.advance(Duration.ofSeconds(10).minusNanos(1));
        assertThat(cluster.availableEndpoints()).hasSize(3);
        clock.advance(Duration.ofNanos(1));
        assertThat(cluster.availableEndpoints()).hasSize(4);
        assertThat(e0.ejected()).isFalse();
        assertThat(listener.of(ResilienceEvent.EndpointReturned.class)).containsExactly(new ResilienceEvent.EndpointReturned("orders", "e0"));
    }

    @Test
    void connectFailuresHaveTheirOwnThreshold() {
        UpstreamCluster cluster = cluster(2, 50);
        ClusterEndpoint e1 = cluster.endpoints().get(1);
        fail(cluster, e1, AttemptOutcome.Failure.CONNECT_FAILED, 1);
        fail(cluster, e1, AttemptOutcome.Failure.RESET_BEFORE_REQUEST_SENT, 1);
        assertThat(e1.ejected()).isTrue();
        assertThat(listener.of(ResilienceEvent.EndpointEjected.class).getFirst().reason())
                .isEqualTo(ResilienceEvent.EjectionReason.CONSECUTIVE_CONNECT_FAILURES);
    }

    @Test
    void ejectionTimeGrowsWithEachEjectionUpToTheCap() {
        UpstreamCluster cluster = cluster(2, 50);
        ClusterEndpoint e0 = cluster.endpoints().get(0);
        for (int round = 0; round < 4; round++) {
            fail(cluster, e0, AttemptOutcome.response(502), 3);
            assertThat(e0.ejected()).isTrue();
            clock.advance(Duration.ofSeconds(30));
            cluster.select(null);
            assertThat(e0.ejected()).isFalse();
        }
        assertThat(listener.of(ResilienceEvent.EndpointEjected.class)).extracting(ResilienceEvent.EndpointEjected::duration)
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(25), Duration.ofSeconds(25));

        // After running clean for longer than the maximum ejection time, the next ejection is short again.
        clock.advance(Duration.ofSeconds(26));
        fail(cluster, e0, AttemptOutcome.response(502), 3);
        assertThat(listener.of(ResilienceEvent.EndpointEjected.class).getLast().duration()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void neverEjectsMoreThanTheMaximumShare() {
        UpstreamCluster cluster = cluster(5, 50);
        for (ClusterEndpoint endpoint : cluster.endpoints()) {
            fail(cluster, endpoint, AttemptOutcome.response(500), 5);
        }
        assertThat(cluster.outlierDetector().orElseThrow().ejectedCount()).as("50% of 5, rounded down").isEqualTo(2);
        assertThat(cluster.availableEndpoints()).hasSize(3);
        assertThat(listener.of(ResilienceEvent.EjectionCapped.class)).hasSize(3);

        // Once one returns, another may be ejected.
        clock.advance(Duration.ofSeconds(10));
        assertThat(cluster.availableEndpoints()).hasSize(5);
        fail(cluster, cluster.endpoints().get(4), AttemptOutcome.response(500), 3);
        assertThat(cluster.endpoints().get(4).ejected()).isTrue();
    }

    @Test
    void aSingleEndpointClusterIsNeverEjectedAtTheDefaultShare() {
        UpstreamCluster cluster = cluster(1, 50);
        fail(cluster, cluster.endpoints().getFirst(), AttemptOutcome.Failure.CONNECT_FAILED, 10);
        assertThat(cluster.endpoints().getFirst().ejected()).isFalse();
        assertThat(listener.of(ResilienceEvent.EjectionCapped.class)).as("reported once, not per failure").hasSize(1);
    }

    @Test
    void clientErrorsDoNotCount() {
        UpstreamCluster cluster = cluster(2, 50);
        fail(cluster, cluster.endpoints().getFirst(), AttemptOutcome.response(404), 20);
        assertThat(cluster.endpoints().getFirst().ejected()).isFalse();
    }
}
