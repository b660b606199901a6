package io.atrium.router.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One composition error case: subgraphs → the error codes {@code @apollo/composition} reports for them, and strings
 * our messages must mention. Loaded strictly: an unknown or missing key fails with its path.
 */
record ErrorFixture(String name, String description, Map<String, String> subgraphs, List<String> errors,
                    List<String> mentions) {
    static final Path ROOT = Path.of("src/test/resources/composition/errors");
    private static final Set<String> KEYS = Set.of("description", "subgraphs", "errors", "mentions");

    @Override
    public String toString() {
        return name;
    }

    List<SubgraphSource> sources() {
        List<SubgraphSource> sources = new ArrayList<>();
        subgraphs.forEach((name, sdl) -> sources.add(new SubgraphSource(name, "http://" + name + ".invalid/graphql",
                sdl)));
        return sources;
    }

    static List<ErrorFixture> all() {
        try (Stream<Path> files = Files.list(ROOT)) {
            List<ErrorFixture> cases = new ArrayList<>();
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                cases.add(load(file));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static ErrorFixture load(Path file) {
        String name = file.getFileName().toString().replace(".yaml", "");
        Map<String, Object> map;
        try {
            map = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + name + "." + key + "'; allowed: "
                        + KEYS.stream().sorted().toList());
            }
        }
        Map<String, String> subgraphs = new LinkedHashMap<>();
        if (!(map.get("subgraphs") instanceof Map<?, ?> raw) || raw.isEmpty()) {
            throw new IllegalArgumentException(name + ".subgraphs is required (subgraph name → SDL)");
        }
        raw.forEach((k, v) -> {
            if (!(v instanceof String sdl)) {
                throw new IllegalArgumentException(name + ".subgraphs." + k + " must be an SDL string");
            }
            subgraphs.put(String.valueOf(k), sdl);
        });
        if (!(map.get("errors") instanceof List<?> errors) || errors.isEmpty()) {
            throw new IllegalArgumentException(name + ".errors is required: the codes composition reports");
        }
        List<String> mentions = map.get("mentions") instanceof List<?> m ? (List<String>) m : List.of();
        return new ErrorFixture(name, String.valueOf(map.getOrDefault("description", "")), subgraphs,
                (List<String>) errors, mentions);
    }
}
