package io.atrium.router.compose;

import io.atrium.router.supergraph.Subgraph;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every subgraph set the repository holds with the supergraph {@code @apollo/composition} made of it: the example
 * subgraphs (config/supergraph) and each router fixture. Routing URLs are taken from the stored supergraph.
 */
final class ComposeCorpus {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    static final Path EXAMPLES = Path.of("../config/supergraph");
    /** Feature cases beyond the router's fixtures: subgraphs and the supergraph @apollo/composition 2.14.4 made. */
    static final Path EQUIVALENCE = Path.of("src/test/resources/composition/equivalence");
    private static final java.util.Set<String> EQUIVALENCE_KEYS = java.util.Set.of("description", "subgraphs",
            "supergraph");

    record Case(String name, List<SubgraphSource> subgraphs, String storedSupergraph) {
        @Override
        public String toString() {
            return name;
        }
    }

    private ComposeCorpus() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(examples());
        cases.addAll(fixtures());
        cases.addAll(equivalenceFixtures());
        return cases;
    }

    static Case examples() {
        try {
            String stored = Files.readString(EXAMPLES.resolve("examples.graphql"));
            Supergraph supergraph = SupergraphReader.read(stored);
            List<SubgraphSource> subgraphs = new ArrayList<>();
            try (Stream<Path> files = Files.list(EXAMPLES.resolve("subgraphs"))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".graphql")).sorted().toList()) {
                    String name = file.getFileName().toString().replace(".graphql", "");
                    subgraphs.add(new SubgraphSource(name, supergraph.subgraphNamed(name).url(), Files.readString(file)));
                }
            }
            return new Case("examples", subgraphs, stored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Strict: unknown keys fail with their path. */
    @SuppressWarnings("unchecked")
    static List<Case> equivalenceFixtures() {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(EQUIVALENCE)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String name = "composition/" + file.getFileName().toString().replace(".yaml", "");
                Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
                for (String key : map.keySet()) {
                    if (!EQUIVALENCE_KEYS.contains(key)) {
                        throw new IllegalArgumentException("unknown key '" + name + "." + key + "'");
                    }
                }
                List<SubgraphSource> subgraphs = new ArrayList<>();
                ((Map<String, String>) map.get("subgraphs")).forEach((sub, sdl) -> subgraphs.add(
                        new SubgraphSource(sub, "http://" + sub + ".invalid/graphql", sdl)));
                cases.add(new Case(name, subgraphs, (String) map.get("supergraph")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    @SuppressWarnings("unchecked")
    static List<Case> fixtures() {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String name = FIXTURES.relativize(file).toString().replace(".yaml", "");
                if (name.startsWith("compose-errors")) {
                    continue;
                }
                Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
                String stored = (String) map.get("supergraph");
                Supergraph supergraph = SupergraphReader.read(stored);
                List<SubgraphSource> subgraphs = new ArrayList<>();
                for (var entry : ((Map<String, Map<String, Object>>) map.get("subgraphs")).entrySet()) {
                    Subgraph subgraph = supergraph.subgraphNamed(entry.getKey());
                    subgraphs.add(new SubgraphSource(entry.getKey(), subgraph == null ? "" : subgraph.url(),
                            (String) entry.getValue().get("schema")));
                }
                cases.add(new Case(name, subgraphs, stored));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }
}
