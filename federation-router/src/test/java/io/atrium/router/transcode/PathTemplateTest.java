package io.atrium.router.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.router.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathTemplateTest {

    @Test
    void parsesTheFullGrammar() {
        PathTemplate template = PathTemplate.parse("/v1/{name=shelves/*/books/**}:publish");
        assertThat(template.verb()).isEqualTo("publish");
        assertThat(template.variables()).containsExactly(new PathTemplate.Variable("name", 1, 5, true));
        assertThat(template.shape()).isEqualTo("/=v1/=shelves/*/=books/**:publish");
        assertThat(PathTemplate.parse("/v1/{a.b}/*").variables().getFirst())
                .isEqualTo(new PathTemplate.Variable("a.b", 1, 2, false));
    }

    @Test
    void matchesAndDecodesAsTheSpecSays() {
        PathTemplate single = PathTemplate.parse("/v1/{id}");
        assertThat(single.match(List.of("v1", "a%2Fb"))).isEqualTo(Map.of("id", "a/b"));
        assertThat(single.match(List.of("v1", ""))).isNull();
        PathTemplate multi = PathTemplate.parse("/v1/{name=files/**}");
        assertThat(multi.match(List.of("v1", "files", "a%2Fb", "c%20d"))).isEqualTo(Map.of("name", "files/a%2Fb/c d"));
        assertThat(multi.match(List.of("v1", "files"))).isEqualTo(Map.of("name", "files"));
        assertThat(multi.match(List.of("v1", "other", "x"))).isNull();
    }

    @Test
    void refusesWhatTheGrammarForbids() {
        assertThatThrownBy(() -> PathTemplate.parse("v1/x")).hasMessageContaining("starts with '/'");
        assertThatThrownBy(() -> PathTemplate.parse("/v1/**/x")).hasMessageContaining("last");
        assertThatThrownBy(() -> PathTemplate.parse("/v1/{a={b}}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathTemplate.parse("/v1/{a}/{a}")).hasMessageContaining("bound twice");
        assertThatThrownBy(() -> PathTemplate.parse("/v1//x")).hasMessageContaining("empty segment");
    }

    @Test
    void literalsBeatWildcardsBeatRest() {
        PathTemplate literal = PathTemplate.parse("/v1/a/b");
        PathTemplate star = PathTemplate.parse("/v1/*/b");
        PathTemplate rest = PathTemplate.parse("/v1/**");
        assertThat(literal.compareSpecificity(star)).isNegative();
        assertThat(star.compareSpecificity(rest)).isNegative();
    }

    @Test
    void theShippedConfigLoadsAndUnknownKeysFailWithTheirPath() {
        TranscodingConfig config = TranscodingConfigLoader.load(Path.of("../config/router/transcoding.yaml"));
        assertThat(config.port()).isEqualTo(4020);
        assertThat(config.pathPrefix()).isEqualTo("/api");
        assertThat(config.backends().get("payments").emitDefaults("atrium.payments.v1.Payments.ListPaymentsByUser")).isTrue();
        assertThat(config.backends().get("payments").emitDefaults("atrium.payments.v1.Payments.GetPayment")).isFalse();
        assertThatThrownBy(() -> TranscodingConfigLoader.parse("""
                format_version: 1
                backends: {p: {target: "x:1", timeout: 3}}
                """, Path.of("."))).isInstanceOf(ConfigException.class).hasMessageContaining("backends.p.timeout");
    }

    @Test
    void serviceConfigRulesAreStrict() {
        assertThatThrownBy(() -> ServiceConfigRules.parse("""
                http:
                  rules:
                    - selector: a.B.C
                      get: /x
                      post: /y
                """, "t.yaml")).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> ServiceConfigRules.parse("http: {rules: [{selector: a.B.C, get: /x, bdy: x}]}", "t.yaml"))
                .hasMessageContaining("http.rules[0].bdy");
    }
}
