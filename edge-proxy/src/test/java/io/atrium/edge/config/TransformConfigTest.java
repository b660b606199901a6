package io.atrium.edge.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code transform} keys: global defaults, per-route overrides, and the transformations the load refuses. */
class TransformConfigTest {

    private static EdgeConfig parse(String global, String routeTransform) {
        return EdgeConfigLoader.parse("""
                format_version: 1
                %s
                clusters:
                  a: { endpoints: [ "http://a:80" ] }
                routes:
                  - name: r
                    match: { path_prefix: /x }
                    cluster: a
                    auth: { public: true }
                %s
                  - name: plain
                    match: { path_prefix: /plain }
                    cluster: a
                    auth: { public: true }
                """.formatted(global, routeTransform.indent(4).stripTrailing()), "test");
    }

    private static TransformConfig route(EdgeConfig config, String name) {
        return config.routes().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().transform();
    }

    @Test
    void routesWithoutTransformHaveNone() {
        assertThat(route(parse("", ""), "r")).isEqualTo(TransformConfig.NONE);
        assertThat(TransformConfig.NONE.active()).isFalse();
    }

    @Test
    void readsEveryKey() {
        TransformConfig t = route(parse("", """
                transform:
                  enforce: false
                  request:
                    headers:
                      add: { X-Source: edge }
                      append: { X-Tag: "{route}" }
                      replace: { X-Env: prod }
                      remove: [ X-Internal ]
                      rename: { X-Old: X-New }
                    query:
                      add: { v: "2" }
                      remove: [ debug ]
                    path: { pattern: "/x/{id}/{rest*}", template: "/v2/{path.id}/{path.rest}" }
                    host: "tenant-{header.X-Tenant}.internal"
                  response:
                    headers: { add: { X-Served-By: "{route}" }, remove: [ Server ] }
                    json: { remove: [ "$.secret" ], allow: [ "$.id", "$.items[*].id" ], rename: { "$.a.b": c }, max_body: 2KiB, on_too_large: reject }
                """), "r");
        assertThat(t.active()).isTrue();
        assertThat(t.settings().enforce()).isFalse();
        assertThat(t.request().headers().add()).extracting(TransformConfig.Entry::name).containsExactly("X-Source");
        assertThat(t.request().headers().rename()).containsExactly(new TransformConfig.Rename("X-Old", "X-New"));
        assertThat(t.request().query().remove()).containsExactly("debug");
        assertThat(t.request().path().orElseThrow().captures()).containsExactly("id", "rest");
        assertThat(t.request().host()).isPresent();
        TransformConfig.Json json = t.response().json().orElseThrow();
        assertThat(json.maxBody()).isEqualTo(2048);
        assertThat(json.onTooLarge()).isEqualTo(TransformConfig.TooLarge.REJECT);
        assertThat(json.allow()).containsExactly("$.id", "$.items[*].id");
    }

    @Test
    void globalDefaultsApplyToEveryRouteAndRoutesOverrideThemKeyByKey() {
        EdgeConfig config = parse("""
                transform:
                  request: { headers: { add: { X-Gateway: atrium }, remove: [ X-Debug ] } }
                """, """
                transform:
                  request: { headers: { remove: [ X-Trace-Me ] } }
                """);
        TransformConfig own = route(config, "r");
        assertThat(own.request().headers().add()).extracting(TransformConfig.Entry::name).containsExactly("X-Gateway");
        assertThat(own.request().headers().remove()).containsExactly("X-Trace-Me");
        assertThat(route(config, "plain").request().headers().remove()).containsExactly("X-Debug");

        EdgeConfig off = parse("""
                transform:
                  request: { headers: { add: { X-Gateway: atrium } } }
                """, "transform: { enabled: false }");
        assertThat(route(off, "r").active()).isFalse();
    }

    @Test
    void refusesTransformationsOfHopByHopFramingAndEdgeOwnedHeadersWithTheKeysPath() {
        List<String> refused = List.of("Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Proxy-Authorization",
                "X-Atrium-Subject", "X-Request-Id", "X-Forwarded-For", "Host", "Via", "traceparent");
        for (String name : refused) {
            assertThatThrownBy(() -> parse("", "transform: { request: { headers: { add: { " + name + ": x } } } }"))
                    .as(name).isInstanceOf(EdgeConfigException.class)
                    .hasMessageContaining("routes[0].transform.request.headers.add." + name + ": a transformation may not touch this header");
        }
        assertThatThrownBy(() -> parse("", "transform: { request: { headers: { rename: { X-Old: X-Atrium-Roles } } } }"))
                .hasMessageContaining("routes[0].transform.request.headers.rename.X-Old").hasMessageContaining("X-Atrium-*");
        assertThatThrownBy(() -> parse("", "transform: { response: { headers: { remove: [ Content-Length ] } } }"))
                .hasMessageContaining("routes[0].transform.response.headers.remove[0]");
        assertThatThrownBy(() -> parse("", "transform: { response: { headers: { add: { RateLimit-Remaining: \"9\" } } } }"))
                .hasMessageContaining("routes[0].transform.response.headers.add.RateLimit-Remaining");
        assertThatThrownBy(() -> parse("transform: { request: { headers: { remove: [ Upgrade ] } } }", ""))
                .hasMessageContaining("transform.request.headers.remove[0]: a transformation may not touch this header")
                .hasMessageNotContaining("routes[");
    }

    @Test
    void refusesBadTemplatesPathsAndCombinations() {
        assertThatThrownBy(() -> parse("", "transform: { request: { headers: { add: { X-A: \"{nope}\" } } } }"))
                .hasMessageContaining("routes[0].transform.request.headers.add.X-A: unknown variable {nope}");
        assertThatThrownBy(() -> parse("", "transform: { request: { headers: { add: { X-A: \"{path.id}\" } } } }"))
                .hasMessageContaining("no capture 'id'");
        assertThatThrownBy(() -> parse("", "transform: { request: { headers: { add: { X-A: \"{route\" } } } }"))
                .hasMessageContaining("unclosed '{'");
        assertThatThrownBy(() -> parse("", "transform: { response: { headers: { add: { X-A: \"{header.Cookie}\" } } } }"))
                .hasMessageContaining("routes[0].transform.response.headers.add.X-A: {header.Cookie} cannot be used here");
        assertThatThrownBy(() -> parse("", "transform: { request: { path: { pattern: \"/x/{rest*}/y\", template: /a } } }"))
                .hasMessageContaining("routes[0].transform.request.path.pattern").hasMessageContaining("last segment");
        assertThatThrownBy(() -> parse("", "transform: { request: { path: { template: \"a/b\" } } }"))
                .hasMessageContaining("routes[0].transform.request.path.template: must start with '/'");
        assertThatThrownBy(() -> parse("", "transform: { response: { json: { remove: [ \"items.secret\" ] } } }"))
                .hasMessageContaining("routes[0].transform.response.json.remove[0]").hasMessageContaining("not a supported JSON path");
        assertThatThrownBy(() -> parse("", "transform: { response: { json: { remove: [ \"$.a\" ], on_too_large: drop } } }"))
                .hasMessageContaining("routes[0].transform.response.json.on_too_large: must be one of pass, reject");
        assertThatThrownBy(() -> parse("", "transform: { response: { json: { max_body: 1KiB } } }"))
                .hasMessageContaining("needs at least one of remove, allow, rename");
        assertThatThrownBy(() -> parse("", "transform: { request: { headres: {} } }"))
                .hasMessageContaining("routes[0].transform.request.headres: unknown key");
        assertThatThrownBy(() -> parse("", """
                cache: {}
                transform: { response: { json: { remove: [ "$.a" ] } } }"""))
                .hasMessageContaining("transform.response.json cannot be combined with cache");
        assertThatThrownBy(() -> parse("", """
                prefix_rewrite: /y
                transform: { request: { path: { template: /z } } }"""))
                .hasMessageContaining("replaces prefix_rewrite");
    }
}
