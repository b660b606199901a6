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

    /**
     * The same cases read as the router reads an answer — key by key with {@code get} and {@code containsKey}, never
     * iterated — give the same values (outputs may be {@link SelectionView}s, mapped as read).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void readKeyByKeyGivesTheSameValues(String name, String selection, Object input, Map<String, Object> vars,
                                        Object expected) {
        Object actual = JsonSelection.parse(selection).apply(normalize(input), (Map<String, Object>) normalize(vars));
        assertReadsAs(actual, normalize(expected), name);
    }

    private static void assertReadsAs(Object actual, Object expected, String at) {
        if (expected instanceof Map<?, ?> object) {
            assertThat(actual).as(at).isInstanceOf(Map.class);
            Map<?, ?> map = (Map<?, ?>) actual;
            for (var entry : object.entrySet()) {
                assertThat(map.containsKey(entry.getKey())).as("%s.%s present", at, entry.getKey()).isTrue();
                assertReadsAs(map.get(entry.getKey()), entry.getValue(), at + "." + entry.getKey());
            }
            assertThat(map.containsKey("not-a-key")).as(at).isFalse();
            assertThat(map.get("not-a-key")).as(at).isNull();
        } else if (expected instanceof List<?> list) {
            assertThat(actual).as(at).isInstanceOf(List.class);
            assertThat((List<?>) actual).as(at).hasSameSizeAs(list);
            for (int i = 0; i < list.size(); i++) {
                assertReadsAs(((List<?>) actual).get(i), list.get(i), at + "[" + i + "]");
            }
        } else {
            assertThat(normalize(actual)).as(at).isEqualTo(expected);
        }
    }

    @Test
    void anOutputIsMappedAsItIsRead() {
        List<String> read = new java.util.ArrayList<>();
        Map<String, Object> input = new java.util.LinkedHashMap<>(Map.of("a", 1, "c", Map.of("d", 2), "e", 3)) {
            @Override
            public Object get(Object key) {
                read.add((String) key);
                return super.get(key);
            }
        };
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) JsonSelection.parse("a b: c { d } f: e->add(1)")
                .apply(input, Map.of());
        assertThat(read).as("nothing mapped before it is read").isEmpty();
        assertThat(out.get("f")).isEqualTo(4L);
        assertThat(read).containsExactly("e");
        assertThat(out).isEqualTo(Map.of("a", 1, "b", Map.of("d", 2), "f", 4L)); // iterated: every key, once
        // with ->as, whose binding other entries may read, everything is mapped at once, in order
        read.clear();
        JsonSelection.parse("a: a->as($x) b: $x").apply(input, Map.of());
        assertThat(read).containsExactly("a");
        // two entries for one key: the later one wins unless it gives nothing, as mapped at once
        assertThat(JsonSelection.parse("a: a a: nope").apply(input, Map.of())).isEqualTo(Map.of("a", 1));
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
