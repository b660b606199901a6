package io.atrium.policy.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {

    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();

    private UpstreamCluster cluster(LoadBalancing algorithm, HealthCheckConfig healthCheck, int... weights) {
        UpstreamCluster.Builder builder = UpstreamCluster.builder("orders",
                        new ClusterResilienceConfig(algorithm, healthCheck, null, null, RetryConfig.NONE))
                .nanoClock(clock).listener(listener).random(new SplittableRandom(42));
        for (int i = 0; i < weights.length; i++) {
            builder.endpoint("e" + i, weights[i]);
        }
        return builder.build();
    }

    private static Map<String, Integer> distribution(UpstreamCluster cluster, int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(cluster.select(null).endpoint().id(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void roundRobinVisitsEachEndpointInTurn() {
        UpstreamCluster cluster = cluster(LoadBalancing.ROUND_ROBIN, null, 1, 1, 1);
        List<String> order = java.util.stream.IntStream.range(0, 6).mapToObj(i -> cluster.select(null).endpoint().id()).toList();
        assertThat(order).containsExactly("e0", "e1", "e2", "e0", "e1", "e2");
        assertThat(cluster.endpoints()).extracting(ClusterEndpoint::index).containsExactly(0, 1, 2);
    }

    @Test
    void weightedRespectsWeightsAndInterleavesSmoothly() {
        UpstreamCluster cluster = cluster(LoadBalancing.WEIGHTED, null, 5, 1, 1);
        List<String> round = java.util.stream.IntStream.range(0, 7).mapToObj(i -> cluster.select(null).endpoint().id()).toList();
        // NGINX's smooth weighted round-robin for {a:5, b:1, c:1}: a a b a c a a.
        assertThat(round).containsExactly("e0", "e0", "e1", "e0", "e2", "e0", "e0");

        UpstreamCluster uneven = cluster(LoadBalancing.WEIGHTED, null, 3, 7, 90);
        Map<String, Integer> counts = distribution(uneven, 10_000);
        assertThat(counts.get("e0") / 10_000.0).isCloseTo(0.03, within(0.005));
        assertThat(counts.get("e1") / 10_000.0).isCloseTo(0.07, within(0.005));
        assertThat(counts.get("e2") / 10_000.0).isCloseTo(0.90, within(0.005));
    }

    @Test
    void weightedScalesHugeWeightsDownKeepingTheirRatio() {
        UpstreamCluster cluster = cluster(LoadBalancing.WEIGHTED, null, 1_000_000, 3_000_000, 7);
        Map<String, Integer> counts = distribution(cluster, 40_000);
        assertThat(counts.get("e1") / (double) counts.get("e0")).isCloseTo(3.0, within(0.05));
        assertThat(counts.get("e2")).as("a tiny weight still gets a turn").isPositive();
    }

    @Test
    void leastRequestPrefersIdleEndpoints() {
        UpstreamCluster cluster = cluster(LoadBalancing.LEAST_REQUEST, null, 1, 1, 1, 1);
        ClusterEndpoint busy = cluster.endpoints().get(0);
        for (int i = 0; i < 10; i++) {
            busy.requestStarted();
        }
        Map<String, Integer> counts = distribution(cluster, 4_000);
        // The busy endpoint only wins when both choices land on it, which P2C never does (two distinct picks).
        assertThat(counts).doesNotContainKey("e0");
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(1_200, 1_467));

        // With equal load the choice is uniform.
        for (int i = 0; i < 10; i++) {
            busy.requestFinished();
        }
        Map<String, Integer> even = distribution(cluster, 8_000);
        assertThat(even.values()).allSatisfy(c -> assertThat(c / 8_000.0).isCloseTo(0.25, within(0.03)));
    }

    @Test
    void leastRequestFollowsLoadAsItChanges() {
        UpstreamCluster cluster = cluster(LoadBalancing.LEAST_REQUEST, null, 1, 1);
        // Requests that never finish pile up; P2C over two endpoints keeps them balanced within one.
        for (int i = 0; i < 1_000; i++) {
            cluster.select(null).endpoint().requestStarted();
        }
        assertThat(Math.abs(cluster.endpoints().get(0).inFlight() - cluster.endpoints().get(1).inFlight())).isLessThanOrEqualTo(1);
    }

    @Test
    void unhealthyEndpointsAreSkippedByEveryAlgorithm() {
        for (LoadBalancing algorithm : LoadBalancing.values()) {
            UpstreamCluster cluster = cluster(algorithm, HealthCheckConfig.DEFAULT, 1, 2, 3);
            HealthChecker checker = cluster.healthChecker().orElseThrow();
            ClusterEndpoint down = cluster.endpoints().get(2);
            for (int i = 0; i < 3; i++) {
                checker.report(down, ProbeResult.FAILURE);
            }
            Map<String, Integer> counts = distribution(cluster, 600);
            assertThat(counts).as(algorithm.name()).doesNotContainKey("e2").containsKeys("e0", "e1");
            assertThat(cluster.select(null).panic()).isFalse();
        }
    }

    @Test
    void panicModeBalancesOverAllWhenNoneIsAvailable() {
        UpstreamCluster cluster = cluster(LoadBalancing.ROUND_ROBIN, HealthCheckConfig.DEFAULT, 1, 1);
        HealthChecker checker = cluster.healthChecker().orElseThrow();
        for (ClusterEndpoint endpoint : cluster.endpoints()) {
            for (int i = 0; i < 3; i++) {
                checker.report(endpoint, ProbeResult.TIMEOUT);
            }
        }
        Selection.Selected first = cluster.select(null);
        Selection.Selected second = cluster.select(null);
        assertThat(first.panic()).isTrue();
        assertThat(second.panic()).isTrue();
        assertThat(List.of(first.endpoint().id(), second.endpoint().id())).containsExactlyInAnyOrder("e0", "e1");
        assertThat(listener.of(ResilienceEvent.PanicRouted.class)).hasSize(2);

        checker.report(cluster.endpoints().get(1), ProbeResult.SUCCESS);
        checker.report(cluster.endpoints().get(1), ProbeResult.SUCCESS);
        Selection.Selected recovered = cluster.select(null);
        assertThat(recovered.panic()).isFalse();
        assertThat(recovered.endpoint().id()).isEqualTo("e1");
    }

    @Test
    void aRetryAvoidsThePreviousEndpointWhenAnotherIsAvailable() {
        UpstreamCluster cluster = cluster(LoadBalancing.LEAST_REQUEST, null, 1, 1, 1);
        ClusterEndpoint failed = cluster.endpoints().get(1);
        for (int i = 0; i < 500; i++) {
            assertThat(cluster.select(failed).endpoint()).isNotSameAs(failed);
        }
    }

    @Test
    void pickingAllocatesNoSelection() {
        UpstreamCluster cluster = cluster(LoadBalancing.ROUND_ROBIN, null, 1, 1);
        Selection.Selected a = cluster.select(null);
        cluster.select(null);
        assertThat(cluster.select(null)).isSameAs(a);
    }
}
