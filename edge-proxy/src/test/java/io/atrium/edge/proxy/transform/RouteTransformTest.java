package io.atrium.edge.proxy.transform;

import io.atrium.edge.config.EdgeConfigLoader;
import io.atrium.edge.config.TransformConfig;
import io.atrium.policy.Identity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Request and response edits applied to Netty headers and targets, from a route file. */
class RouteTransformTest {

    private static RouteTransform compile(String transform) {
        TransformConfig config = EdgeConfigLoader.parse("""
                format_version: 1
                clusters: { a: { endpoints: [ "http://a:80" ] } }
                routes:
                  - name: users
                    match: { path_prefix: /users }
                    cluster: a
                    auth: { public: true }
                %s
                """.formatted(transform.indent(4).stripTrailing()), "test").routes().getFirst().transform();
        return RouteTransform.compile("users", config, new SimpleMeterRegistry());
    }

    @Test
    void headerEditsFollowRemoveRenameReplaceAddAppendAndReadTheRequestBeforeAnyEdit() {
        RouteTransform t = compile("""
                transform:
                  request:
                    headers:
                      remove: [ X-Internal ]
                      rename: { X-Old: X-New }
                      replace: { X-Env: prod, X-Absent: never }
                      add: { X-Source: "edge {route}", X-Env: ignored, X-Copy: "{header.X-Old}" }
                      append: { X-Tag: "{consumer}:{subject}:{request_id}" }
                """);
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Internal", "1").add("X-Old", "o").add("X-Env", "dev").add("X-Tag", "t0");
        Identity identity = new Identity("alice", "app", Set.of(), Set.of(), Map.of(), null, Identity.Method.JWT);
        RouteTransform.RequestResult result = t.applyToRequest(headers, "/users/1", "/users/1", identity, "rid-1");

        assertThat(result.target()).isEqualTo("/users/1");
        assertThat(result.host()).isNull();
        assertThat(headers.contains("X-Internal")).isFalse();
        assertThat(headers.contains("X-Old")).isFalse();
        assertThat(headers.get("X-New")).isEqualTo("o");
        assertThat(headers.get("X-Env")).isEqualTo("prod");
        assertThat(headers.contains("X-Absent")).isFalse();
        assertThat(headers.get("X-Source")).isEqualTo("edge users");
        assertThat(headers.get("X-Copy")).isEqualTo("o");
        assertThat(headers.getAll("X-Tag")).containsExactly("t0", "app:alice:rid-1");
    }

    @Test
    void queryPathAndHostUseCapturesAndEncodeValues() {
        RouteTransform t = compile("""
                transform:
                  request:
                    query:
                      remove: [ debug ]
                      rename: { old: new }
                      replace: { mode: "{header.X-Mode}" }
                      add: { v: "2", who: "{header.X-Name}" }
                      append: { tag: x }
                    path: { pattern: "/users/{id}/{rest*}", template: "/v2/accounts/{path.id}/{path.rest}" }
                    host: "tenant-{header.X-Tenant}.internal"
                """);
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Mode", "a&b").add("X-Name", "J\u00fcrgen Bl\u00fcm").add("X-Tenant", "t1");
        RouteTransform.RequestResult result = t.applyToRequest(headers, "/users/42/orders/7?debug=1&old=o&mode=m&tag=y",
                "/users/42/orders/7?debug=1&old=o&mode=m&tag=y", null, "rid");

        assertThat(result.target()).isEqualTo("/v2/accounts/42/orders/7?new=o&mode=a%26b&tag=y&v=2&who=J%C3%BCrgen+Bl%C3%BCm&tag=x");
        assertThat(result.host()).isEqualTo("tenant-t1.internal");

        RouteTransform.RequestResult unmatched = t.applyToRequest(new DefaultHttpHeaders(), "/users", "/users", null, "rid");
        assertThat(unmatched.target()).as("a path the pattern does not match keeps its path").isEqualTo("/users?v=2&who=&tag=x");
        assertThat(unmatched.host()).as("a missing value renders empty").isEqualTo("tenant-.internal");
    }

    @Test
    void reportOnlyCountsAndChangesNothing() {
        RouteTransform t = compile("""
                transform:
                  enforce: false
                  request: { headers: { add: { X-A: a } } }
                  response: { headers: { add: { X-B: b } }, json: { remove: [ "$.x" ] } }
                """);
        HttpHeaders headers = new DefaultHttpHeaders();
        assertThat(t.applyToRequest(headers, "/users?q", "/users?q", null, "r").target()).isEqualTo("/users?q");
        t.applyToResponse(headers, null, "r");
        assertThat(headers.isEmpty()).isTrue();
        assertThat(t.json()).isNull();
        assertThat(t.counters().requestReported.count()).isEqualTo(1);
        assertThat(t.counters().responseReported.count()).isEqualTo(1);
    }

    @Test
    void routesWithoutTransformationsCompileToNothing() {
        assertThat(compile("")).isNull();
        assertThat(compile("transform: { enabled: false, request: { headers: { add: { X-A: a } } } }")).isNull();
    }
}
