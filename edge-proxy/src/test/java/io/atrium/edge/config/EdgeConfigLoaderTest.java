package io.atrium.edge.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeConfigLoaderTest {

    private static final String MINIMAL = """
            format_version: 1
            clusters:
              orders:
                endpoints: [ "http://127.0.0.1:4010" ]
            routes:
              - name: orders
                match: { path_prefix: /api/v1/orders }
                cluster: orders
                auth: { public: true }
            """;

    @Test
    void appliesDocumentedDefaults() {
        EdgeConfig config = EdgeConfigLoader.parse(MINIMAL, "test");

        assertThat(config.http()).isEqualTo(new ListenerConfig("0.0.0.0", 8080));
        ClusterConfig orders = config.clusters().get("orders");
        assertThat(orders.endpoints()).containsExactly(new Endpoint("127.0.0.1", 4010));
        assertThat(orders.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(orders.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(orders.maxConnections()).isEqualTo(1024);
        assertThat(config.routes()).extracting(RouteConfig::name, RouteConfig::pathPrefix, RouteConfig::cluster, RouteConfig::prefixRewrite)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", "/api/v1/orders", "orders", Optional.empty()));
        assertThat(config.maxHeaderSize()).isEqualTo(16 * 1024);
        assertThat(config.timeouts()).isEqualTo(new ClientTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(60)));
        assertThat(config.routes().getFirst().policies().protection().maxRequestBody()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.routes().getFirst().policies().rateLimit()).isEmpty();
    }

    @Test
    void readsClientTimeoutsAndRejectsOnesWithoutUnit() {
        EdgeConfig config = EdgeConfigLoader.parse(MINIMAL + """
                limits: { idle_timeout: 2m, request_header_timeout: 5s, request_body_timeout: 250ms, response_write_timeout: 3s }
                """, "test");
        assertThat(config.timeouts()).isEqualTo(new ClientTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMillis(250),
                Duration.ofSeconds(3)));

        assertThatThrownBy(() -> EdgeConfigLoader.parse(MINIMAL + """
                limits: { idle_timeout: 60 }
                """, "test"))
                .isInstanceOf(EdgeConfigException.class)
                .hasMessageContaining("limits.idle_timeout: must be a duration");
    }

    @Test
    void readsEveryOption() {
        EdgeConfig config = EdgeConfigLoader.parse("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                clusters:
                  a:
                    endpoints: [ "http://a:81", "http://b" ]
                    connect_timeout: 250ms
                    response_timeout: 2m
                    max_connections: 8
                routes:
                  - name: r
                    match: { path_prefix: /x }
                    cluster: a
                    auth: { public: true }
                    prefix_rewrite: /
                """, "test");

        assertThat(config.http()).isEqualTo(new ListenerConfig("127.0.0.1", 0));
        assertThat(config.clusters().get("a")).isEqualTo(new ClusterConfig("a", List.of(new Endpoint("a", 81), new Endpoint("b", 80)),
                Duration.ofMillis(250), Duration.ofMinutes(2), 8));
        assertThat(config.routes().getFirst().prefixRewrite()).hasValue("/");
    }

    @Test
    void unknownKeyFailsWithItsPath() {
        String yaml = MINIMAL.replace("    cluster: orders", "    cluster: orders\n    upstream: { timout: 5s }")
                .replace("  - name: orders", "  - name: first\n    match: { path_prefix: /a }\n    cluster: orders\n    auth: { public: true }\n  - name: orders");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(yaml, "routes.yaml"))
                .isInstanceOf(EdgeConfigException.class)
                .hasMessage("routes.yaml: routes[1].upstream: unknown key (allowed: name, match, cluster, split, prefix_rewrite, auth, "
                        + "rate_limit, max_request_body, cors, ip_filter, redirect_to_https, mirror, cache, websocket, transform)");
    }

    @Test
    void misspelledNestedKeyFailsWithItsPath() {
        String yaml = MINIMAL.replace("endpoints: [ \"http://127.0.0.1:4010\" ]", "endpoints: [ \"http://127.0.0.1:4010\" ]\n    respons_timeout: 5s");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(yaml, "f"))
                .hasMessageStartingWith("f: clusters.orders.respons_timeout: unknown key");
    }

    @Test
    void routeToMissingClusterFails() {
        String yaml = MINIMAL.replace("    cluster: orders", "    cluster: payments");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(yaml, "f"))
                .isInstanceOf(EdgeConfigException.class)
                .hasMessage("f: routes[0].cluster: unknown cluster 'payments' (defined: orders)");
    }

    @Test
    void rejectsBadValuesWithTheirPath() {
        assertThatThrownBy(() -> EdgeConfigLoader.parse(MINIMAL.replace("format_version: 1", "format_version: 2"), "f"))
                .hasMessageContaining("format_version: unsupported format version 2");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(MINIMAL.replace("format_version: 1\n", ""), "f"))
                .hasMessage("f: format_version: required key is missing");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(MINIMAL.replace("4010\" ]", "4010\" ]\n    connect_timeout: 5"), "f"))
                .hasMessageContaining("clusters.orders.connect_timeout: must be a duration with a unit");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(MINIMAL.replace("4010\" ]", "4010\" ]\n    connect_timeout: 5d"), "f"))
                .hasMessageContaining("clusters.orders.connect_timeout: unknown duration unit");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(MINIMAL.replace("http://127.0.0.1:4010", "https://x"), "f"))
                .hasMessageContaining("clusters.orders.endpoints[0]: 'https://x': only http:// endpoints are supported");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(MINIMAL.replace("/api/v1/orders", "api"), "f"))
                .hasMessageContaining("routes[0].match.path_prefix: must start with '/'");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(MINIMAL + "listeners: { http: { port: 70000 } }\n", "f"))
                .hasMessageContaining("listeners.http.port: must be between 0 and 65535");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(MINIMAL + "clusters: {}\n", "f"))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void duplicateRoutePrefixFails() {
        String yaml = MINIMAL + """
                  - name: again
                    match: { path_prefix: /api/v1/orders }
                    cluster: orders
                    auth: { public: true }
                """;
        assertThatThrownBy(() -> EdgeConfigLoader.parse(yaml, "f"))
                .hasMessageContaining("routes[1].match.path_prefix: another route already matches '/api/v1/orders'");
    }

    @Test
    void shippedRouteFilesAreValidAndAgree() {
        EdgeConfig bundled = EdgeConfigLoader.loadDefault();
        EdgeConfig local = EdgeConfigLoader.load(Path.of("../config/edge/local.yaml"));
        EdgeConfig compose = EdgeConfigLoader.load(Path.of("../config/edge/compose.yaml"));

        assertThat(bundled).isEqualTo(local);
        assertThat(compose.routes()).isEqualTo(local.routes());
        assertThat(local.routes()).extracting(RouteConfig::pathPrefix, RouteConfig::cluster, r -> r.prefixRewrite().orElse(null))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/api/v1/orders", "orders", "/orders"),
                        org.assertj.core.groups.Tuple.tuple("/api/v1/payments", "transcoding", null),
                        org.assertj.core.groups.Tuple.tuple("/graphql", "federation-router", null),
                        org.assertj.core.groups.Tuple.tuple("/web", "bff-web", null),
                        org.assertj.core.groups.Tuple.tuple("/mobile/graphql", "bff-mobile", "/graphql"),
                        org.assertj.core.groups.Tuple.tuple("/mobile/v1/", "bff-mobile", "/v1/"));
        assertThat(local.clusters().values()).extracting(c -> c.endpoints().getFirst().port()).containsExactly(4010, 4000, 4020, 8081, 8082);
        assertThat(compose.clusters().values()).extracting(c -> c.endpoints().getFirst().toString())
                .containsExactly("http://orders:4010", "http://federation-router:4000", "http://federation-router:4020",
                        "http://bff-web:8081", "http://bff-mobile:8082");
    }
}
