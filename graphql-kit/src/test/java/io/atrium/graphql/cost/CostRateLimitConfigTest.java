package io.atrium.graphql.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.policy.ratelimit.RedisRateLimitStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost budget's {@code lease} key: how many units an instance may take ahead from Redis. */
class CostRateLimitConfigTest {

    private static RedisRateLimitStore.Lease lease(Object value) {
        Map<String, Object> block = value == null
                ? Map.of("limits", List.of(Map.of("units", 1000)))
                : Map.of("limits", List.of(Map.of("units", 1000)), "lease", value);
        return CostRateLimitConfig.read(block, "demand_control.rate_limit").lease();
    }

    @Test
    void leasesDefaultOnAndCanBeSizedOrSwitchedOff() {
        assertThat(lease(null)).isEqualTo(RedisRateLimitStore.Lease.DEFAULT);
        assertThat(lease(Map.of("max_units", 500, "ttl_ms", 250))).isEqualTo(new RedisRateLimitStore.Lease(500, Duration.ofMillis(250)));
        assertThat(lease(false)).as("YAML's unquoted off").isEqualTo(RedisRateLimitStore.Lease.OFF);
        assertThat(lease("off")).isEqualTo(RedisRateLimitStore.Lease.OFF);
        assertThatThrownBy(() -> lease("on")).hasMessageContaining("demand_control.rate_limit.lease: expected off or");
        assertThatThrownBy(() -> lease(Map.of("ttl", 5))).hasMessageContaining("unknown key 'demand_control.rate_limit.lease.ttl'");
    }
}
