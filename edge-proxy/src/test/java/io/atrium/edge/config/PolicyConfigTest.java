package io.atrium.edge.config;

import io.atrium.policy.PolicySettings;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import io.atrium.policy.auth.RouteAccess;
import io.atrium.policy.ratelimit.Limit;
import io.atrium.policy.ratelimit.RateLimitConfig;
import io.atrium.policy.ratelimit.RateLimitKey;
import io.atrium.policy.ratelimit.RedisRateLimitStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy blocks of the route file: global defaults merged into routes field by field, strict validation. */
class PolicyConfigTest {

    private static final String GLOBALS = """
            format_version: 1
            auth:
              realm: shop
              required_scopes: [ "api" ]
              enforce: false
              api_keys:
                header: X-Key
                consumers: [ { name: partner, key_sha256: "%s", scopes: [ api ] } ]
            rate_limit:
              key: client_ip
              on_store_failure: closed
              limits: [ { requests: 100, period: 1m } ]
              trusted_proxies: [ "10.0.0.0/8" ]
            limits:
              max_request_body: 2MiB
              max_header_size: 8KiB
            clusters:
              a: { endpoints: [ "http://127.0.0.1:1" ] }
            """.formatted(ApiKeyAuthenticator.digestHex("k"));

    private static EdgeConfig parse(String routes) {
        return EdgeConfigLoader.parse(GLOBALS + "routes:\n" + routes, "test");
    }

    @Test
    void routeBlocksOverrideTheGlobalOnesFieldByField() {
        EdgeConfig config = parse("""
                  - name: inherits
                    match: { path_prefix: /a }
                    cluster: a
                  - name: overrides
                    match: { path_prefix: /b }
                    cluster: a
                    auth: { required_roles: [ admin ], enforce: true }
                    rate_limit: { key: consumer, limits: [ { requests: 5, period: 1s, burst: 10 } ] }
                    max_request_body: 100
                  - name: open
                    match: { path_prefix: /c }
                    cluster: a
                    auth: { public: true }
                    rate_limit: { enabled: false }
                """);

        RoutePolicies inherits = config.routes().get(0).policies();
        assertThat(inherits.auth().settings()).isEqualTo(new PolicySettings(true, false));
        assertThat(inherits.auth().access()).isEqualTo(new RouteAccess.Authenticated(null, Set.of("api"), Set.of()));
        assertThat(inherits.rateLimit()).hasValueSatisfying(r -> {
            assertThat(r.config().key()).isEqualTo(new RateLimitKey.ClientIp());
            assertThat(r.config().limits()).containsExactly(Limit.of(100, Duration.ofMinutes(1)));
            assertThat(r.config().onStoreFailure()).isEqualTo(RateLimitConfig.FailureMode.CLOSED);
        });
        assertThat(inherits.protection().maxRequestBody()).isEqualTo(2L * 1024 * 1024);

        RoutePolicies overrides = config.routes().get(1).policies();
        assertThat(overrides.auth().settings()).isEqualTo(PolicySettings.DEFAULT);
        assertThat(overrides.auth().access()).as("scopes still inherited, roles from the route")
                .isEqualTo(new RouteAccess.Authenticated(null, Set.of("api"), Set.of("admin")));
        assertThat(overrides.rateLimit()).hasValueSatisfying(r -> {
            assertThat(r.config().key()).isEqualTo(new RateLimitKey.Consumer());
            assertThat(r.config().limits()).containsExactly(new Limit(5, Duration.ofSeconds(1), 10));
            assertThat(r.config().onStoreFailure()).as("inherited").isEqualTo(RateLimitConfig.FailureMode.CLOSED);
        });
        assertThat(overrides.protection().maxRequestBody()).isEqualTo(100);

        RoutePolicies open = config.routes().get(2).policies();
        assertThat(open.auth().isPublic()).isTrue();
        assertThat(open.rateLimit()).isEmpty();

        assertThat(config.gateway().realm()).isEqualTo("shop");
        assertThat(config.gateway().apiKeys().header()).isEqualTo("X-Key");
        assertThat(config.gateway().trustedProxies()).hasSize(1);
        assertThat(config.maxHeaderSize()).isEqualTo(8 * 1024);
    }

    @Test
    void routesRequireAuthenticationUnlessPublicExplicitly() {
        assertThatThrownBy(() -> EdgeConfigLoader.parse("""
                format_version: 1
                clusters: { a: { endpoints: [ "http://127.0.0.1:1" ] } }
                routes: [ { name: r, match: { path_prefix: /r }, cluster: a } ]
                """, "f"))
                .isInstanceOf(EdgeConfigException.class)
                .hasMessageContaining("f: routes[0].auth: the route requires authentication")
                .hasMessageContaining("auth: { public: true }");
        assertThatThrownBy(() -> parse("""
                  - { name: r, match: { path_prefix: /r }, cluster: a, auth: { credentials: [ jwt ] } }
                """)).hasMessageContaining("routes[0].auth: the route requires authentication (jwt) but auth.jwt is not configured");
    }

    @Test
    void everyErrorIsReportedWithItsPath() {
        EdgeConfigException e = (EdgeConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> parse("""
                  - name: one
                    match: { path_prefix: /a }
                    cluster: missing
                  - name: two
                    match: { path_prefix: /b }
                    cluster: a
                    rate_limit: { key: "nobody", limits: [ { requests: 0 } ] }
                  - name: three
                    match: { path_prefix: /c }
                    cluster: a
                    cors: { allow_origins: [ "*" ], allow_credentials: true }
                    ip_filter: { deny: [ "not-an-ip" ] }
                """.replace("format_version: 1", "format_version: 1")));

        assertThat(e.errors()).hasSize(3);
        assertThat(e.errors().get(0)).isEqualTo("test: routes[0].cluster: unknown cluster 'missing' (defined: a)");
        assertThat(e.errors().get(1)).startsWith("test: routes[1].rate_limit.key: unknown key 'nobody'");
        assertThat(e.errors().get(2)).startsWith("test: routes[2].cors.allow_origins: \"*\" cannot be combined with allow_credentials");
    }

    @Test
    void strictKeysInPolicyBlocks() {
        assertThatThrownBy(() -> parse("""
                  - { name: r, match: { path_prefix: /r }, cluster: a, auth: { public: true, scopes: [ x ] } }
                """)).hasMessageContaining("routes[0].auth.scopes: unknown key");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(GLOBALS.replace("realm: shop", "realm: shop\n  public: true") + "routes: []\n", "f"))
                .as("public is a per-route decision, never a global default")
                .hasMessageContaining("auth.public: unknown key");
        assertThatThrownBy(() -> parse("""
                  - { name: r, match: { path_prefix: /r }, cluster: a, auth: { public: true }, rate_limit: { limits: [ { requests: 1, period: 1w } ] } }
                """)).hasMessageContaining("routes[0].rate_limit.limits[0].period: unknown duration unit");
        assertThatThrownBy(() -> EdgeConfigLoader.parse(GLOBALS.replace("key: client_ip", "key: client_ip\n  store: redis") + "routes: []\n", "f"))
                .hasMessageContaining("rate_limit.redis: required with store: redis");
    }

    @Test
    void redisLeasesDefaultOnAndCanBeSizedOrSwitchedOff() {
        String redis = "key: client_ip\n  store: redis\n  redis: { url: \"redis://127.0.0.1:6379\"%s }";
        java.util.function.Function<String, RedisRateLimitStore.Lease> lease = extra -> EdgeConfigLoader.parse(
                GLOBALS.replace("key: client_ip", redis.formatted(extra)) + "routes: []\n", "f").gateway().rateLimitStore().lease();
        assertThat(lease.apply("")).isEqualTo(new RedisRateLimitStore.Lease(64, Duration.ofSeconds(1)));
        assertThat(lease.apply(", lease: { max_units: 8, ttl: 250ms }")).isEqualTo(new RedisRateLimitStore.Lease(8, Duration.ofMillis(250)));
        assertThat(lease.apply(", lease: off")).isEqualTo(RedisRateLimitStore.Lease.OFF);
        assertThat(lease.apply(", lease: { max_units: 1 }").enabled()).isFalse();
        assertThatThrownBy(() -> lease.apply(", lease: on")).hasMessageContaining("rate_limit.redis.lease: must be off or a mapping");
        assertThatThrownBy(() -> lease.apply(", lease: { units: 8 }")).hasMessageContaining("rate_limit.redis.lease.units: unknown key");
        assertThatThrownBy(() -> lease.apply(", lease: { max_units: 0 }")).hasMessageContaining("rate_limit.redis.lease.max_units: must be between 1");
    }

    @Test
    void anHmacKeyWithoutAnHsAlgorithmFailsWithTheHint() {
        String jwt = """
                format_version: 1
                auth:
                  jwt:
                    issuers: [ "https://idp" ]
                    audiences: [ "api" ]
                    keys: [ '{"kty":"oct","kid":"k1","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnl0ZXM"}' ]
                %s
                clusters:
                  a: { endpoints: [ "http://127.0.0.1:1" ] }
                routes: []
                """;
        assertThatThrownBy(() -> EdgeConfigLoader.parse(jwt.formatted(""), "f"))
                .hasMessageContaining("auth.jwt.keys: an HMAC key (kty oct) needs HS256, HS384 or HS512 in auth.jwt.algorithms");
        assertThat(EdgeConfigLoader.parse(jwt.formatted("    algorithms: [ HS256 ]"), "f").gateway().jwt().algorithms()).containsExactly("HS256");
    }

    @Test
    void forwardCredentialsDefaultsToFalseAndIsInheritedFromTheGlobalBlock() {
        EdgeConfig config = parse("""
                  - { name: kept, match: { path_prefix: /a }, cluster: a }
                  - { name: forwarded, match: { path_prefix: /b }, cluster: a, auth: { forward_credentials: true } }
                """);
        assertThat(config.routes().get(0).policies().auth().forwardCredentials()).isFalse();
        assertThat(config.routes().get(1).policies().auth().forwardCredentials()).isTrue();
        EdgeConfig global = EdgeConfigLoader.parse(GLOBALS.replace("realm: shop", "realm: shop\n  forward_credentials: true")
                + "routes:\n  - { name: r, match: { path_prefix: /a }, cluster: a }\n", "f");
        assertThat(global.routes().getFirst().policies().auth().forwardCredentials()).isTrue();
    }

    @Test
    void parsesSizes() {
        EdgeConfig config = parse("""
                  - { name: r, match: { path_prefix: /r }, cluster: a, auth: { public: true }, max_request_body: 512KiB }
                """);
        assertThat(config.routes().getFirst().policies().protection().maxRequestBody()).isEqualTo(512 * 1024);
        assertThat(List.of(config.routes().getFirst().policies().protection().redirectToHttps())).containsExactly(false);
    }
}
