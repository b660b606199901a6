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
        assertThat(config.forwardHeaders()).containsExactly("authorization");
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
}
