package io.atrium.edge.config;

import io.atrium.policy.cache.CacheConfig;
import io.atrium.policy.resilience.CircuitBreakerConfig;
import io.atrium.policy.resilience.ClusterResilienceConfig;
import io.atrium.policy.resilience.HealthCheckConfig;
import io.atrium.policy.resilience.LoadBalancing;
import io.atrium.policy.resilience.OutlierDetectionConfig;
import io.atrium.policy.resilience.RetryBudgetConfig;
import io.atrium.policy.resilience.RetryConfig;
import io.atrium.policy.resilience.RetryOn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The resilience, traffic-shaping and cache keys of the route file. */
class TrafficConfigTest {

    private static EdgeConfig parse(String clusterBody, String routeExtra) {
        return EdgeConfigLoader.parse("""
                format_version: 1
                clusters:
                  a:
                %s
                  b: { endpoints: [ "http://b:80" ] }
                routes:
                  - name: r
                    match: { path_prefix: /x }
                    auth: { public: true }
                %s
                """.formatted(clusterBody.indent(4).stripTrailing(), routeExtra.indent(4).stripTrailing()), "test");
    }

    @Test
    void clustersDefaultToRoundRobinOutlierDetectionAndTwoAttempts() {
        ClusterConfig a = parse("endpoints: [ \"http://a:80\" ]", "cluster: a").clusters().get("a");
        assertThat(a.resilience()).isEqualTo(ClusterResilienceConfig.DEFAULT);
        assertThat(a.resilience().loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);
        assertThat(a.resilience().healthCheck()).isNull();
        assertThat(a.resilience().circuitBreaker()).isNull();
        assertThat(a.resilience().retry().maxAttempts()).isEqualTo(2);
    }

    @Test
    void readsEveryResilienceKey() {
        ClusterConfig a = parse("""
                endpoints: [ { url: "http://a1:80", weight: 3 }, "http://a2:81" ]
                load_balancing: weighted
                health_check: { path: /ready, interval: 5s, unhealthy_interval: 1s, timeout: 500ms, healthy_threshold: 3, unhealthy_threshold: 4 }
                outlier_detection: { consecutive_5xx: 7, consecutive_connect_failures: 2, base_ejection_time: 10s, max_ejection_time: 1m, max_ejection_percent: 34 }
                circuit_breaker: { window_type: time, window_size: 30, minimum_calls: 10, failure_rate_threshold: 60, open_duration: 15s, half_open_calls: 2, slow_call_duration: 3s }
                retry:
                  max_attempts: 3
                  retry_on: [ connect_failure, retriable_status ]
                  retriable_statuses: [ 503 ]
                  per_try_timeout: 1s
                  total_timeout: 5s
                  backoff_base: 10ms
                  backoff_max: 100ms
                  budget: { percent: 30, min_concurrency: 5 }
                """, "cluster: a").clusters().get("a");
        assertThat(a.endpoints()).containsExactly(new Endpoint("a1", 80, 3), new Endpoint("a2", 81, 1));
        assertThat(a.resilience()).isEqualTo(new ClusterResilienceConfig(LoadBalancing.WEIGHTED,
                new HealthCheckConfig("/ready", Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(500), 3, 4),
                new OutlierDetectionConfig(7, 2, Duration.ofSeconds(10), Duration.ofMinutes(1), 34),
                new CircuitBreakerConfig(CircuitBreakerConfig.WindowType.TIME, 30, 10, 60, Duration.ofSeconds(15), 2, Duration.ofSeconds(3)),
                new RetryConfig(3, Set.of(RetryOn.CONNECT_FAILURE, RetryOn.RETRIABLE_STATUS), Set.of(503), Duration.ofSeconds(1),
                        Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMillis(100), new RetryBudgetConfig(30, 5))));
    }

    @Test
    void blocksCanBeSwitchedOff() {
        ClusterConfig a = parse("""
                endpoints: [ "http://a:80" ]
                outlier_detection: { enabled: false }
                circuit_breaker: { enabled: false }
                retry: { max_attempts: 1 }
                """, "cluster: a").clusters().get("a");
        assertThat(a.resilience().outlierDetection()).isNull();
        assertThat(a.resilience().circuitBreaker()).isNull();
        assertThat(a.resilience().retry().maxAttempts()).isEqualTo(1);
    }

    @Test
    void invalidResilienceValuesNameTheirKey() {
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]\nload_balancing: random", "cluster: a"))
                .hasMessageContaining("clusters.a.load_balancing: unknown load balancing 'random'");
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]\nhealth_check: { interval: 1s, timeout: 2s }", "cluster: a"))
                .hasMessageContaining("clusters.a.health_check: health_check.timeout must be positive and at most the interval");
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]\nretry: { retry_on: [ always ] }", "cluster: a"))
                .hasMessageContaining("clusters.a.retry.retry_on[0]: unknown retry condition 'always'");
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]\nretry: { retriable_statuses: [ 404 ] }", "cluster: a"))
                .hasMessageContaining("clusters.a.retry.retriable_statuses[0]: must be between 500 and 599");
        assertThatThrownBy(() -> parse("endpoints: [ { url: \"http://a:80\", weight: 0 } ]", "cluster: a"))
                .hasMessageContaining("clusters.a.endpoints[0].weight: must be between 1 and 1000");
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]\ncircuit_breaker: { treshold: 5 }", "cluster: a"))
                .hasMessageContaining("clusters.a.circuit_breaker.treshold: unknown key");
    }

    @Test
    void readsHeaderConditionsSplitMirrorAndCache() {
        RouteConfig route = parse("endpoints: [ \"http://a:80\" ]", """
                split: [ { cluster: a, weight: 90 }, { cluster: b, weight: 10 } ]
                mirror: { cluster: b, max_body: 8KiB }
                cache: { max_entry_bytes: 256KiB, stale_if_error: 5m }
                """).routes().getFirst();
        assertThat(route.cluster()).isEqualTo("a");
        assertThat(route.traffic().split()).containsExactly(new RouteTraffic.WeightedCluster("a", 90), new RouteTraffic.WeightedCluster("b", 10));
        assertThat(route.traffic().mirror()).contains(new RouteTraffic.Mirror("b", 8 * 1024));
        assertThat(route.traffic().cache()).contains(new CacheConfig(256 * 1024, Duration.ofMinutes(5), Duration.ZERO, false));

        EdgeConfig headers = EdgeConfigLoader.parse("""
                format_version: 1
                clusters: { a: { endpoints: [ "http://a:80" ] } }
                routes:
                  - { name: plain, match: { path_prefix: /x }, cluster: a, auth: { public: true } }
                  - name: canary
                    match: { path_prefix: /x, headers: [ { name: X-Canary, exact: "on" }, { name: X-Beta, present: true } ] }
                    cluster: a
                    auth: { public: true }
                """, "test");
        assertThat(headers.routes().get(1).traffic().headers())
                .containsExactly(new RouteTraffic.HeaderMatch("X-Canary", "on"), new RouteTraffic.HeaderMatch("X-Beta", null));
        assertThat(headers.routes().getFirst().traffic()).isEqualTo(RouteTraffic.NONE);
        assertThat(headers.cacheMaxBytes()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void invalidTrafficKeysNameTheirKey() {
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]", "cluster: a\nsplit: [ { cluster: b, weight: 1 } ]"))
                .hasMessageContaining("routes[0]: exactly one of 'cluster' and 'split' is required");
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]", "split: [ { cluster: c, weight: 1 } ]"))
                .hasMessageContaining("routes[0].split[0].cluster: unknown cluster 'c'");
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]", "split: [ { cluster: a, weight: 0 } ]"))
                .hasMessageContaining("routes[0].split: a split needs at least one cluster with a positive weight");
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]", "cluster: a\nmirror: { cluster: nope }"))
                .hasMessageContaining("routes[0].mirror.cluster: unknown cluster 'nope'");
        assertThatThrownBy(() -> parse("endpoints: [ \"http://a:80\" ]", "cluster: a\ncache: { ttl: 5s }"))
                .hasMessageContaining("routes[0].cache.ttl: unknown key");
        assertThatThrownBy(() -> EdgeConfigLoader.parse("""
                format_version: 1
                clusters: { a: { endpoints: [ "http://a:80" ] } }
                routes:
                  - { name: one, match: { path_prefix: /x, headers: [ { name: X-A, present: true } ] }, cluster: a, auth: { public: true } }
                  - { name: two, match: { path_prefix: /x, headers: [ { name: X-A, present: true } ] }, cluster: a, auth: { public: true } }
                """, "test")).hasMessageContaining("routes[1].match.path_prefix: another route already matches '/x' with the same header conditions");
    }

    @Test
    void theCacheOfAnAuthenticatedRouteKeysByIdentity() {
        EdgeConfig config = EdgeConfigLoader.parse("""
                format_version: 1
                auth:
                  api_keys:
                    consumers: [ { name: c, key_sha256: "%s" } ]
                clusters: { a: { endpoints: [ "http://a:80" ] } }
                routes:
                  - { name: r, match: { path_prefix: /x }, cluster: a, auth: { credentials: [ api_key ] }, cache: { } }
                  - { name: uncached, match: { path_prefix: /y }, cluster: a, auth: { public: true }, cache: { enabled: false } }
                """.formatted("0".repeat(64)), "test");
        assertThat(config.routes().getFirst().traffic().cache()).hasValueSatisfying(c -> assertThat(c.authenticated()).isTrue());
        assertThat(config.routes().get(1).traffic().cache()).isEqualTo(Optional.empty());
        assertThat(config.routes().get(1).traffic().split()).isEmpty();
    }
}
