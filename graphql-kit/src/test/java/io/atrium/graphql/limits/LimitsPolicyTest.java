package io.atrium.graphql.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.graphql.config.GraphQLConfigException;
import io.atrium.graphql.document.OperationMeasurements;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits config (strict, per client over the endpoint) and the check at each limit and one past it. */
class LimitsPolicyTest {
    private static final OperationMeasurements SMALL = new OperationMeasurements(2, 3, 0, 1, 0, 10);

    @Test
    void eachLimitPassesAtItsValueAndRefusesOnePast() {
        LimitsConfig config = LimitsConfig.read(Map.of("max_depth", 3, "max_height", 4, "max_aliases", 1,
                "max_root_fields", 2, "max_directives", 1, "max_tokens", 20), "limits");
        LimitsPolicy policy = new LimitsPolicy(config, new SimpleMeterRegistry());
        record Case(OperationMeasurements at, OperationMeasurements past, String code) {
        }
        for (Case c : new Case[] {
                new Case(new OperationMeasurements(3, 3, 0, 1, 0, 10), new OperationMeasurements(4, 3, 0, 1, 0, 10), "MAX_DEPTH_LIMIT"),
                new Case(new OperationMeasurements(2, 4, 0, 1, 0, 10), new OperationMeasurements(2, 5, 0, 1, 0, 10), "MAX_HEIGHT_LIMIT"),
                new Case(new OperationMeasurements(2, 3, 1, 1, 0, 10), new OperationMeasurements(2, 3, 2, 1, 0, 10), "MAX_ALIASES_LIMIT"),
                new Case(new OperationMeasurements(2, 3, 0, 2, 0, 10), new OperationMeasurements(2, 3, 0, 3, 0, 10), "MAX_ROOT_FIELDS_LIMIT"),
                new Case(new OperationMeasurements(2, 3, 0, 1, 1, 10), new OperationMeasurements(2, 3, 0, 1, 2, 10), "MAX_DIRECTIVES_LIMIT"),
                new Case(new OperationMeasurements(2, 3, 0, 1, 0, 20), new OperationMeasurements(2, 3, 0, 1, 0, 21), "MAX_TOKENS_LIMIT")}) {
            assertThat(policy.check(c.at(), null, null)).as(c.code()).isEqualTo(LimitVerdict.PASS);
            assertThat(policy.check(c.past(), null, null)).as(c.code())
                    .isInstanceOfSatisfying(LimitVerdict.Refuse.class, r -> assertThat(r.code()).isEqualTo(c.code()));
        }
    }

    @Test
    void clientsOverrideTheEndpointFieldByFieldAndWarnModeCountsInsteadOfRefusing() {
        LimitsConfig config = LimitsConfig.read(Map.of("max_depth", 1, "max_aliases", 5,
                "clients", Map.of("ios", Map.of("max_depth", 2), "web", Map.of("mode", "warn"))), "limits");
        assertThat(config.forClient("ios").maxAliases()).isEqualTo(5);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LimitsPolicy policy = new LimitsPolicy(config, registry);
        assertThat(policy.check(SMALL, null, "Q")).isInstanceOf(LimitVerdict.Refuse.class);
        assertThat(policy.check(SMALL, "other", "Q")).isInstanceOf(LimitVerdict.Refuse.class);
        assertThat(policy.check(SMALL, "ios", "Q")).isEqualTo(LimitVerdict.PASS);
        assertThat(policy.check(SMALL, "web", "Q")).isEqualTo(LimitVerdict.PASS);
        assertThat(registry.counter("atrium.graphql.limits", "code", "MAX_DEPTH_LIMIT", "outcome", "warned").count())
                .isEqualTo(1);
        assertThat(registry.counter("atrium.graphql.limits", "code", "MAX_DEPTH_LIMIT", "outcome", "refused").count())
                .isEqualTo(2);
    }

    @Test
    void theParserCutOffIsTheLargestEnforcedTokenLimitAndNeverBelowGraphQLJavasInWarnMode() {
        assertThat(LimitsConfig.read(Map.of("max_tokens", 50, "clients", Map.of("a", Map.of("max_tokens", 80))), "l")
                .parserMaxTokens()).isEqualTo(80);
        assertThat(LimitsConfig.read(Map.of("max_tokens", 50, "mode", "warn"), "l").parserMaxTokens())
                .isEqualTo(graphql.parser.ParserOptions.MAX_QUERY_TOKENS);
    }

    @Test
    void configIsStrict() {
        assertThatThrownBy(() -> LimitsConfig.read(Map.of("max_deepness", 3), "limits"))
                .isInstanceOf(GraphQLConfigException.class).hasMessageContaining("limits.max_deepness");
        assertThatThrownBy(() -> LimitsConfig.read(Map.of("clients", Map.of("ios", Map.of("enabled", false))), "limits"))
                .hasMessageContaining("limits.clients.ios.enabled");
        assertThatThrownBy(() -> LimitsConfig.read(Map.of("max_depth", 0), "limits")).hasMessageContaining("limits.max_depth");
        assertThatThrownBy(() -> LimitsConfig.read(Map.of("mode", "loud"), "limits")).hasMessageContaining("[enforce, warn]");
    }
}
