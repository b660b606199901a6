package io.atrium.policy.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResilienceConfigReaderTest {

    @Test
    void readsTheEdgesKeysAndKeepsWhatIsAbsent() {
        ClusterResilienceConfig inherited = new ClusterResilienceConfig(null, null, OutlierDetectionConfig.DEFAULT,
                CircuitBreakerConfig.DEFAULT, RetryConfig.NONE);
        ClusterResilienceConfig read = ResilienceConfigReader.read(Map.of(
                "load_balancing", "weighted",
                "circuit_breaker", Map.of("window_type", "time", "window_size", 30, "open_duration", "2s"),
                "retry", Map.of("max_attempts", 3, "retry_on", List.of("connect_failure", "reset"),
                        "retriable_statuses", List.of(503), "backoff_base", "0s", "budget", Map.of("percent", 10))),
                "subgraphs.x", inherited);
        assertThat(read.loadBalancing()).isEqualTo(LoadBalancing.WEIGHTED);
        assertThat(read.outlierDetection()).isSameAs(OutlierDetectionConfig.DEFAULT);
        assertThat(read.circuitBreaker().windowType()).isEqualTo(CircuitBreakerConfig.WindowType.TIME);
        assertThat(read.circuitBreaker().openDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(read.retry().maxAttempts()).isEqualTo(3);
        assertThat(read.retry().retryOn()).isEqualTo(Set.of(RetryOn.CONNECT_FAILURE, RetryOn.RESET));
        assertThat(read.retry().retriableStatuses()).containsExactly(503);
        assertThat(read.retry().backoffBase()).isZero();
        assertThat(read.retry().budget().percent()).isEqualTo(10);
        assertThat(ResilienceConfigReader.read(Map.of("circuit_breaker", Map.of("enabled", false),
                "outlier_detection", Map.of("enabled", false)), "x", inherited))
                .satisfies(c -> assertThat(c.circuitBreaker()).isNull())
                .satisfies(c -> assertThat(c.outlierDetection()).isNull());
    }

    @Test
    void mistakesNameTheirPath() {
        ClusterResilienceConfig inherited = ClusterResilienceConfig.DEFAULT;
        assertThatThrownBy(() -> ResilienceConfigReader.read(Map.of("retry", Map.of("tries", 2)), "subgraphs.x", inherited))
                .hasMessageContaining("unknown key 'subgraphs.x.retry.tries'");
        assertThatThrownBy(() -> ResilienceConfigReader.read(Map.of("load_balancing", "random"), "s", inherited))
                .hasMessageContaining("s.load_balancing: unknown load balancing 'random'");
        assertThatThrownBy(() -> ResilienceConfigReader.read(Map.of("circuit_breaker", Map.of("open_duration", "5 s")), "s", inherited))
                .hasMessageContaining("s.circuit_breaker.open_duration");
        assertThatThrownBy(() -> ResilienceConfigReader.read(Map.of("retry", Map.of("backoff_base", "1s", "backoff_max", "10ms")), "s", inherited))
                .hasMessageContaining("s.retry: ").hasMessageContaining("backoff_max");
        assertThatThrownBy(() -> ResilienceConfigReader.read(Map.of("retry", Map.of("retry_on", List.of("always"))), "s", inherited))
                .hasMessageContaining("s.retry.retry_on: unknown retry condition 'always'");
    }
}
