package io.atrium.policy.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {

    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();
    private final HealthCheckConfig config = new HealthCheckConfig("/ready", Duration.ofSeconds(5), Duration.ofSeconds(1),
            Duration.ofMillis(500), 2, 3);
    private final UpstreamCluster cluster = UpstreamCluster.builder("orders",
                    new ClusterResilienceConfig(null, config, null, null, RetryConfig.NONE))
            .endpoint("a").endpoint("b").nanoClock(clock).listener(listener).build();
    private final HealthChecker checker = cluster.healthChecker().orElseThrow();
    private final ClusterEndpoint a = cluster.endpoints().get(0);

    @Test
    void becomesUnhealthyAfterTheThresholdOfConsecutiveFailures() {
        assertThat(a.health()).as("endpoints start healthy").isEqualTo(HealthState.HEALTHY);
        assertThat(checker.report(a, ProbeResult.FAILURE)).isEqualTo(HealthState.HEALTHY);
        assertThat(checker.report(a, ProbeResult.TIMEOUT)).isEqualTo(HealthState.HEALTHY);
        assertThat(checker.report(a, ProbeResult.SUCCESS)).as("a success resets the count").isEqualTo(HealthState.HEALTHY);
        checker.report(a, ProbeResult.FAILURE);
        checker.report(a, ProbeResult.FAILURE);
        assertThat(checker.report(a, ProbeResult.FAILURE)).isEqualTo(HealthState.UNHEALTHY);
        assertThat(cluster.availableEndpoints()).extracting(ClusterEndpoint::id).containsExactly("b");
        assertThat(listener.of(ResilienceEvent.HealthChanged.class))
                .containsExactly(new ResilienceEvent.HealthChanged("orders", "a", HealthState.HEALTHY, HealthState.UNHEALTHY));
    }

    @Test
    void recoversAfterTheThresholdOfConsecutiveSuccesses() {
        for (int i = 0; i < 3; i++) {
            checker.report(a, ProbeResult.FAILURE);
        }
        assertThat(checker.report(a, ProbeResult.SUCCESS)).isEqualTo(HealthState.UNHEALTHY);
        assertThat(checker.report(a, ProbeResult.FAILURE)).isEqualTo(HealthState.UNHEALTHY);
        assertThat(checker.report(a, ProbeResult.SUCCESS)).isEqualTo(HealthState.UNHEALTHY);
        assertThat(checker.report(a, ProbeResult.SUCCESS)).isEqualTo(HealthState.HEALTHY);
        assertThat(cluster.availableEndpoints()).hasSize(2);
        assertThat(listener.of(ResilienceEvent.HealthChanged.class)).extracting(ResilienceEvent.HealthChanged::to)
                .containsExactly(HealthState.UNHEALTHY, HealthState.HEALTHY);
    }

    @Test
    void schedulesProbesByIntervalAndProbesUnhealthyEndpointsAtTheirInterval() {
        assertThat(checker.nanosUntilProbe(a)).as("first probe is due at once").isZero();
        checker.report(a, ProbeResult.SUCCESS);
        assertThat(checker.nanosUntilProbe(a)).isEqualTo(Duration.ofSeconds(5).toNanos());
        clock.advance(Duration.ofSeconds(4));
        assertThat(checker.nanosUntilProbe(a)).isEqualTo(Duration.ofSeconds(1).toNanos());
        clock.advance(Duration.ofSeconds(1));
        assertThat(checker.nanosUntilProbe(a)).isZero();

        for (int i = 0; i < 3; i++) {
            checker.report(a, ProbeResult.FAILURE);
        }
        assertThat(checker.nanosUntilProbe(a)).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(checker.config().path()).isEqualTo("/ready");
        assertThat(checker.config().timeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void probeResultFromStatus() {
        assertThat(ProbeResult.ofStatus(204)).isEqualTo(ProbeResult.SUCCESS);
        assertThat(ProbeResult.ofStatus(301)).isEqualTo(ProbeResult.FAILURE);
        assertThat(ProbeResult.ofStatus(503)).isEqualTo(ProbeResult.FAILURE);
    }

    @Test
    void configDefaultsAndValidation() {
        HealthCheckConfig defaults = HealthCheckConfig.DEFAULT;
        assertThat(defaults.path()).isEqualTo("/health");
        assertThat(defaults.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.unhealthyInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.healthyThreshold()).isEqualTo(2);
        assertThat(defaults.unhealthyThreshold()).isEqualTo(3);
        assertThatThrownBy(() -> new HealthCheckConfig(null, Duration.ofSeconds(1), null, Duration.ofSeconds(2), 0, 0))
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> new HealthCheckConfig("health", null, null, null, 0, 0)).hasMessageContaining("path");
    }
}
