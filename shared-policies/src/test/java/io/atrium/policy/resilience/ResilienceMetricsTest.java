package io.atrium.policy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResilienceMetricsTest {

    private final FakeClock clock = new FakeClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void countsEjectionsTransitionsAndRetriesWithLowCardinalityTags() {
        UpstreamCluster cluster = UpstreamCluster.builder("orders", new ClusterResilienceConfig(null, HealthCheckConfig.DEFAULT,
                        new OutlierDetectionConfig(2, 2, Duration.ofSeconds(1), null, 50),
                        new CircuitBreakerConfig(null, 4, 4, 100, null, 1, null),
                        new RetryConfig(2, null, null, null, null, null, null, new RetryBudgetConfig(20, 0))))
                .endpoint("a").endpoint("b").nanoClock(clock)
                .listener(new ResilienceMetrics(registry, "orders").andThen(new ResilienceLog())).build();

        for (int i = 0; i < 4; i++) {
            UpstreamCall call = cluster.newCall("GET");
            call.nextAttempt();
            call.attemptFinished(AttemptOutcome.response(503));
            call.finish();
        }
        for (int i = 0; i < 3; i++) {
            cluster.healthChecker().orElseThrow().report(cluster.endpoints().get(1), ProbeResult.FAILURE);
        }
        UpstreamCall refused = cluster.newCall("GET");
        assertThat(refused.nextAttempt()).isInstanceOf(Selection.CircuitOpen.class);
        refused.finish();
        clock.advance(Duration.ofSeconds(1));
        cluster.select(null);

        assertThat(registry.get("atrium.outlier.ejections").tags("cluster", "orders", "endpoint", "a", "reason", "consecutive_5xx")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("atrium.outlier.returns").tags("cluster", "orders", "endpoint", "a").counter().count()).isEqualTo(1);
        assertThat(registry.get("atrium.circuit_breaker.transitions").tags("cluster", "orders", "state", "open").counter().count()).isEqualTo(1);
        assertThat(registry.get("atrium.circuit_breaker.rejected").tags("cluster", "orders").counter().count()).isEqualTo(1);
        assertThat(registry.get("atrium.retry.denied").tags("cluster", "orders", "reason", "budget_exhausted").counter().count()).isEqualTo(4);
        assertThat(registry.get("atrium.retry.attempts").counter().count()).isZero();
        assertThat(registry.get("atrium.health_check.transitions").tags("endpoint", "b", "state", "unhealthy").counter().count()).isEqualTo(1);
    }
}
