package io.atrium.router.connector.rest.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.router.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** JSONSelection against the data-first cases in {@code connector/selection-cases.yaml}. */
class JsonSelectionTest {

    private static final Set<String> CASE_KEYS = Set.of("name", "selection", "input", "vars", "expected");

    @SuppressWarnings("unchecked")
    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = JsonSelectionTest.class.getResourceAsStream("/connector/selection-cases.yaml")) {
            Map<String, Object> doc = new Yaml().load(in);
            assertThat(doc.keySet()).containsExactly("cases");
            return ((List<Map<String, Object>>) doc.get("cases")).stream().map(c -> {
                assertThat(CASE_KEYS).as("keys of case %s", c.get("name")).containsAll(c.keySet());
                return Arguments.of(c.get("name"), c.get("selection"), c.get("input"),
                        c.getOrDefault("vars", Map.of()), c.containsKey("expected") ? c.get("expected") : null);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void appliesAsDocumented(String name, String selection, Object input, Map<String, Object> vars, Object expected) {
        Object actual = JsonSelection.parse(selection).apply(normalize(input), (Map<String, Object>) normalize(vars));
        assertThat(normalize(actual)).isEqualTo(normalize(expected));
    }

    /** Through the router's JSON codec, so YAML's Integer and the selection's Long compare equal. */
    private static Object normalize(Object value) {
        return Json.read(Json.write(value));
    }

    @Test
    void aBindingStaysInItsApplication() {
        JsonSelection selection = JsonSelection.parse("out: person->as($name, @.name)->echo([$args.id, $name])");
        Map<String, Object> person = Map.of("person", Map.of("name", "Ben"));
        Map<String, Object> vars = new HashMap<>(Map.of("$args", Map.of("id", 7)));
        assertThat(selection.apply(person, vars)).isEqualTo(Map.of("out", List.of(7, "Ben")));
        assertThat(vars).containsOnlyKeys("$args"); // the caller's variables are read, never written
        // read-only variables (what callers pass) work, and the next application starts without the binding
        assertThat(selection.apply(Map.of("person", Map.of("name", "Ada")), Map.of("$args", Map.of("id", 8))))
                .isEqualTo(Map.of("out", List.of(8, "Ada")));
        assertThat(JsonSelection.parse("out: $name").apply(person, Map.copyOf(vars))).isEqualTo(Map.of());
    }

    @Test
    void reportsTheVariablesItReads() {
        assertThat(JsonSelection.parse("id: $this.id ids: $batch.id x: $args.x").variables())
                .containsExactlyInAnyOrder("$this", "$batch", "$args");
    }

    @Test
    void syntaxErrorsNameTheOffset() {
        assertThatThrownBy(() -> JsonSelection.parse("a { b")).isInstanceOf(SelectionSyntaxException.class)
                .hasMessageContaining("offset");
        assertThatThrownBy(() -> JsonSelection.parse("x: a->nope")).hasMessageContaining("unknown method ->nope");
        assertThatThrownBy(() -> JsonSelection.parse("id a.b")).hasMessageContaining("needs an alias");
        assertThatThrownBy(() -> JsonSelection.parse("x: $(a ?? b ?! c)")).hasMessageContaining("cannot be mixed");
    }
}
