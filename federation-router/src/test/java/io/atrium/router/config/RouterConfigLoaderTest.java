package io.atrium.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RouterConfigLoaderTest {
    @Test
    void minimalConfigGetsDocumentedDefaults() {
        RouterConfig config = RouterConfigLoader.parse("format_version: 1\n");
        assertThat(config.introspection()).isTrue();
        assertThat(config.hotReload()).isTrue();
        assertThat(config.planHeader()).isNull();
        assertThat(config.defaultTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.cacheControl()).isEqualTo(new CacheControlConfig(true, 0));
    }

    @Test
    void readsTheCacheControlBlockStrictly() {
        CacheControlConfig config = RouterConfigLoader.parse("""
                format_version: 1
                cache_control: {enabled: false, default_max_age_seconds: 30}
                """).cacheControl();
        assertThat(config).isEqualTo(new CacheControlConfig(false, 30));
        assertThat(new CacheControlConfig(true, 30).noFetchPolicy(false)).isEqualTo("public, max-age=30");
        assertThat(new CacheControlConfig(true, 30).noFetchPolicy(true)).isEqualTo("private, max-age=30");
        assertThat(CacheControlConfig.DEFAULT.noFetchPolicy(false)).isEqualTo("no-store");
        assertThatThrownBy(() -> RouterConfigLoader.parse("format_version: 1\ncache_control: {max_age: 30}\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("cache_control.max_age: unknown key");
        assertThatThrownBy(() -> RouterConfigLoader.parse("format_version: 1\ncache_control: {default_max_age_seconds: -1}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache_control.default_max_age_seconds");
        assertThatThrownBy(() -> RouterConfigLoader.parse("format_version: 1\ncache_control: {enabled: yes please}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache_control.enabled");
        assertThatThrownBy(() -> RouterConfigLoader.parse("format_version: 1\ncache_control: {default_max_age_seconds: 1m}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("whole number of seconds");
    }

    @Test
    void readsSubgraphOverrides() {
        RouterConfig config = RouterConfigLoader.parse("""
                format_version: 1
                supergraph: s.graphql
                query_plan_header: x-plan
                subgraph_defaults: {timeout_ms: 800, forward_headers: [Authorization]}
                subgraphs:
                  accounts: {url: "http://localhost:4001/graphql", timeout_ms: 1500}
                """);
        assertThat(config.subgraphs().get("accounts").url()).hasToString("http://localhost:4001/graphql");
        assertThat(config.subgraphs().get("accounts").timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.planHeader()).isEqualTo("x-plan");
        assertThat(config.defaultTimeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(config.propagatedHeaders()).containsExactly("authorization");
        assertThat(config.headerRules()).containsExactly(new HeaderRule.Propagate("authorization", "authorization"));
    }

    @Test
    void readsSubgraphResilienceOverTheDefaultsBlockByBlock() {
        RouterConfig config = RouterConfigLoader.parse("""
                format_version: 1
                subgraph_defaults:
                  circuit_breaker: { minimum_calls: 10, open_duration: 5s }
                  retry: { max_attempts: 3, backoff_base: 10ms }
                subgraphs:
                  reviews:
                    urls: ["http://r1:4002/graphql", "http://r2:4002/graphql"]
                    load_balancing: least_request
                    retry: { max_attempts: 1 }
                    deduplicate_queries: true
                  accounts: { url: "http://a:4001/graphql" }
                """);
        SubgraphResilience reviews = config.resilienceFor("reviews");
        assertThat(config.urlsFor("reviews", null)).hasSize(2);
        assertThat(config.subgraphs().get("reviews").url()).hasToString("http://r1:4002/graphql");
        assertThat(reviews.cluster().loadBalancing()).isEqualTo(io.atrium.policy.resilience.LoadBalancing.LEAST_REQUEST);
        assertThat(reviews.cluster().retry().maxAttempts()).isEqualTo(1);
        assertThat(reviews.cluster().circuitBreaker().minimumCalls()).isEqualTo(10); // inherited block
        assertThat(reviews.deduplicateQueries()).isTrue();
        SubgraphResilience accounts = config.resilienceFor("accounts");
        assertThat(accounts.cluster().retry().maxAttempts()).isEqualTo(3);
        assertThat(accounts.cluster().circuitBreaker().openDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(accounts.deduplicateQueries()).isFalse();
        assertThat(RouterConfigLoader.parse("format_version: 1\n").resilienceFor("x")).isEqualTo(SubgraphResilience.DEFAULT);
    }

    @Test
    void resilienceMistakesFailWithTheirPath() {
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                subgraphs: { reviews: { circuit_breaker: { open: 5s } } }
                """)).hasMessageContaining("subgraphs.reviews.circuit_breaker.open");
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                subgraphs: { reviews: { retry: { max_attempts: 11 } } }
                """)).hasMessageContaining("subgraphs.reviews.retry.max_attempts");
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                subgraph_defaults: { outlier_detection: { base_ejection_time: 30 } }
                """)).hasMessageContaining("subgraph_defaults.outlier_detection.base_ejection_time");
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                subgraphs: { reviews: { url: "http://a/graphql", urls: ["http://b/graphql"] } }
                """)).hasMessageContaining("subgraphs.reviews: give either url or urls");
    }

    @Test
    void unknownKeysFailWithTheirPath() {
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                subgraphs:
                  accounts: {urll: "http://x"}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("subgraphs.accounts.urll");
    }

    @Test
    void formatVersionIsRequired() {
        assertThatThrownBy(() -> RouterConfigLoader.parse("supergraph: x\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("format_version");
    }

    @Test
    void readsHeaderRulesProtocolsAndOverrideLabels() {
        RouterConfig config = RouterConfigLoader.parse("""
                format_version: 1
                subgraph_defaults:
                  protocol: h2c
                  forward_headers: [Authorization]
                  headers:
                    - {propagate: X-Tenant, rename: x-atrium-tenant}
                    - {insert: x-atrium-router, value: "1"}
                subgraphs:
                  accounts:
                    protocol: http1
                    headers: [{remove: authorization}, {propagate: x-user}]
                progressive_override:
                  enabled_labels: [beta]
                  label_header: X-Override-Labels
                """);
        assertThat(config.defaultProtocol()).isEqualTo(RouterConfig.Protocol.H2C);
        assertThat(config.subgraphs().get("accounts").protocol()).isEqualTo(RouterConfig.Protocol.HTTP1);
        assertThat(config.propagatedHeaders()).containsExactly("authorization", "x-tenant", "x-user");
        assertThat(config.headerRulesFor("accounts")).containsExactly(
                new HeaderRule.Propagate("authorization", "authorization"),
                new HeaderRule.Propagate("x-tenant", "x-atrium-tenant"),
                new HeaderRule.Insert("x-atrium-router", "1"),
                new HeaderRule.Remove("authorization"),
                new HeaderRule.Propagate("x-user", "x-user"));
        assertThat(config.headerRulesFor("products")).hasSize(3);
        assertThat(config.overrideLabels()).containsExactly("beta");
        assertThat(config.overrideLabelHeader()).isEqualTo("x-override-labels");
    }

    @Test
    void headerRulesRefuseWhatTheRouterSetsAndUnknownRuleKinds() {
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                subgraph_defaults: {headers: [{propagate: content-length}]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("subgraph_defaults.headers[0].propagate");
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                subgraphs: {a: {headers: [{rename: x}]}}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("subgraphs.a.headers[0]");
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                subgraphs: {a: {protocol: h3}}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("subgraphs.a.protocol");
    }

    @Test
    void theShippedConfigsLoad() {
        for (String file : java.util.List.of("../config/router/router.yaml", "../config/router/compose.yaml")) {
            RouterConfig config = RouterConfigLoader.load(java.nio.file.Path.of(file));
            assertThat(config.defaultProtocol()).as(file).isEqualTo(RouterConfig.Protocol.HTTP1);
            assertThat(config.headerRules()).as(file).isEmpty();
            assertThat(io.atrium.graphql.trusted.TrustedDocuments.load(config.endpoint().trustedDocuments()).size())
                    .as(file).isGreaterThanOrEqualTo(0); // every manifest named reads
        }
        RouterConfig local = RouterConfigLoader.load(java.nio.file.Path.of("../config/router/router.yaml"));
        assertThat(local.introspection()).isTrue();
        assertThat(local.endpoint().identity().source()).isEqualTo(io.atrium.graphql.identity.IdentitySource.EDGE_ASSERTION);
        assertThat(local.endpoint().trustedDocuments().forClient("demo").mode())
                .isEqualTo(io.atrium.graphql.trusted.TrustMode.LOG_UNKNOWN);
        assertThat(io.atrium.graphql.trusted.TrustedDocuments.load(local.endpoint().trustedDocuments()).size()).isEqualTo(1);
        assertThat(RouterConfigLoader.load(java.nio.file.Path.of("../config/router/compose.yaml")).introspection()).isFalse();
    }

    @Test
    void graphqlKitBlocksAreStrictWithTheKeysPath() {
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                limits: {max_depht: 3}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("limits.max_depht");
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                trusted_documents: {clients: {web: {mode: strict}}}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("trusted_documents.clients.web.mode");
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                apq: {max_entries: -1}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("apq.max_entries");
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                identity: {source: jwt, jwt: {jwks_url: "http://k/jwks", issuers: [i]}}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("identity.jwt.audiences");
    }

    @Test
    void connectorSettingsAreTypedAndStrict() {
        RouterConfig config = RouterConfigLoader.parse("""
                format_version: 1
                connectors:
                  rest:
                    orders:
                      sources: {api: {base_url: "http://orders:4010"}}
                      config: {region: eu}
                      entity_concurrency: 3
                """);
        var orders = config.connectors().restFor("orders");
        assertThat(orders.baseUrls()).containsEntry("api", java.net.URI.create("http://orders:4010"));
        assertThat(orders.config()).containsEntry("region", "eu");
        assertThat(orders.entityConcurrency()).isEqualTo(3);
        assertThat(config.connectors().restFor("other").entityConcurrency())
                .isEqualTo(ConnectorsConfig.DEFAULT_ENTITY_CONCURRENCY);
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                connectors: {rest: {orders: {sources: {api: {baseurl: "http://x"}}}}}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("connectors.rest.orders.sources.api.baseurl");
        assertThatThrownBy(() -> RouterConfigLoader.parse("""
                format_version: 1
                connectors: {rest: {orders: {entity_concurrency: 0}}}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("connectors.rest.orders.entity_concurrency");
    }
}
