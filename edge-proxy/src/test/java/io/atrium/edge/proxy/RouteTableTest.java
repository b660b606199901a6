package io.atrium.edge.proxy;

import io.atrium.edge.config.EdgeConfigLoader;
import io.atrium.edge.observe.EdgeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {

    private final RouteTable table = RouteTable.compile(EdgeConfigLoader.parse("""
            format_version: 1
            clusters:
              a: { endpoints: [ "http://127.0.0.1:1" ] }
              b: { endpoints: [ "http://127.0.0.1:2" ] }
            routes:
              - { name: api, match: { path_prefix: /api }, cluster: a, auth: { public: true } }
              - { name: orders, match: { path_prefix: /api/v1/orders }, cluster: b, prefix_rewrite: /orders, auth: { public: true } }
              - { name: strip, match: { path_prefix: /strip }, cluster: a, prefix_rewrite: /, auth: { public: true } }
              - { name: dir, match: { path_prefix: /dir/ }, cluster: a, prefix_rewrite: /x, auth: { public: true } }
            """, "test"), route -> null, new EdgeMetrics(new SimpleMeterRegistry()));

    @Test
    void longestPrefixWinsAndMatchingIsSegmentAware() {
        assertThat(table.resolve("/api/v1/orders").name()).isEqualTo("orders");
        assertThat(table.resolve("/api/v1/orders/7").name()).isEqualTo("orders");
        assertThat(table.resolve("/api/v1/orders?x=1").name()).isEqualTo("orders");
        assertThat(table.resolve("/api/v1/ordersX").name()).isEqualTo("api");
        assertThat(table.resolve("/api/v1/orders:batchGet").name()).as("a custom method").isEqualTo("orders");
        assertThat(table.resolve("/api").name()).isEqualTo("api");
        assertThat(table.resolve("/apix")).isNull();
        assertThat(table.resolve("/")).isNull();
        assertThat(table.resolve("/dir/a").name()).isEqualTo("dir");
        assertThat(table.resolve("/dir")).isNull();
    }

    @Test
    void prefixRewriteReplacesTheMatchedPrefix() {
        assertThat(rewrite("/api/v1/orders")).isEqualTo("/orders");
        assertThat(rewrite("/api/v1/orders/7?x=1")).isEqualTo("/orders/7?x=1");
        assertThat(rewrite("/api/v1/orders?x=1")).isEqualTo("/orders?x=1");
        assertThat(rewrite("/api/v1/orders:batchGet?ids=1")).isEqualTo("/orders:batchGet?ids=1");
        assertThat(rewrite("/strip")).isEqualTo("/");
        assertThat(rewrite("/strip/a/b")).isEqualTo("/a/b");
        assertThat(rewrite("/strip?q")).isEqualTo("/?q");
        assertThat(rewrite("/dir/a")).isEqualTo("/x/a");
        assertThat(rewrite("/api/v1/x")).isEqualTo("/api/v1/x");
    }

    private String rewrite(String target) {
        return table.resolve(target).upstreamTarget(target);
    }
}
