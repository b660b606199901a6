package io.atrium.router.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The typed readers of a strict YAML config: every failure names the key's path and what was expected. */
public final class StrictYaml {

    private StrictYaml() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new ConfigException((path.isEmpty() ? "the document" : path) + ": expected a map");
    }

    public static String string(Object value, String path) {
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new ConfigException(path + ": expected a non-empty string, got " + value);
    }

    /** An absent list is empty. */
    public static List<String> strings(Object value, String path) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new ConfigException(path + ": expected a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(string(list.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    public static void check(Map<String, Object> map, Set<String> allowed, String path) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new ConfigException((path.isEmpty() ? "" : path + ".") + key + ": unknown key (allowed: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }
}
