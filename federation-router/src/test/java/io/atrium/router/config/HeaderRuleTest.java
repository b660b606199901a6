package io.atrium.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderRuleTest {
    @Test
    void onlyPropagatedClientHeadersAreSentRenamedInsertedAndRemovedInOrder() {
        List<HeaderRule> rules = List.of(
                new HeaderRule.Propagate("authorization", "authorization"),
                new HeaderRule.Propagate("x-tenant", "x-atrium-tenant"),
                new HeaderRule.Insert("x-atrium-router", "1"),
                new HeaderRule.Propagate("x-absent", "x-absent"),
                new HeaderRule.Remove("authorization"));
        Map<String, String> client = Map.of("authorization", "Bearer t", "x-tenant", "acme", "cookie", "secret");
        assertThat(HeaderRule.apply(rules, client))
                .containsExactly(Map.entry("x-atrium-tenant", "acme"), Map.entry("x-atrium-router", "1"));
        assertThat(HeaderRule.apply(List.of(), client)).isEmpty();
    }

    @Test
    void insertReplacesAPropagatedValue() {
        assertThat(HeaderRule.apply(List.of(new HeaderRule.Propagate("x-a", "x-a"), new HeaderRule.Insert("x-a", "fixed")),
                Map.of("x-a", "client"))).containsExactly(Map.entry("x-a", "fixed"));
    }
}
