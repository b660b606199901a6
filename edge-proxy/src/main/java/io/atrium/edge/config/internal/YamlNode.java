package io.atrium.edge.config.internal;

import io.atrium.edge.config.EdgeConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A value of a parsed YAML document together with its path ({@code routes[2].upstream.timeout}),
 * so that every error names the key it is about.
 */
public record YamlNode(String path, Object value) {

    public static YamlNode root(Object value) {
        return new YamlNode("", value);
    }

    public EdgeConfigException error(String message) {
        return new EdgeConfigException((path.isEmpty() ? "<root>" : path) + ": " + message);
    }

    public Obj object() {
        if (!(value instanceof Map<?, ?> map)) {
            throw error("must be a mapping, was " + describe(value));
        }
        return new Obj(this, map);
    }

    public List<YamlNode> list() {
        if (!(value instanceof List<?> items)) {
            throw error("must be a list, was " + describe(value));
        }
        List<YamlNode> nodes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            nodes.add(new YamlNode(path + "[" + i + "]", items.get(i)));
        }
        return nodes;
    }

    public String string() {
        if (!(value instanceof String s)) {
            throw error("must be a string, was " + describe(value));
        }
        return s;
    }

    public String nonBlankString() {
        String s = string();
        if (s.isBlank()) {
            throw error("must not be empty");
        }
        return s;
    }

    public int integer(int min, int max) {
        if (!(value instanceof Integer i)) {
            throw error("must be an integer, was " + describe(value));
        }
        if (i < min || i > max) {
            throw error("must be between " + min + " and " + max + ", was " + i);
        }
        return i;
    }

    public boolean bool() {
        if (!(value instanceof Boolean b)) {
            throw error("must be true or false, was " + describe(value));
        }
        return b;
    }

    /** A list of non-blank strings (a single string is not accepted: lists stay lists). */
    public List<String> stringList() {
        List<String> out = new ArrayList<>();
        for (YamlNode item : list()) {
            out.add(item.nonBlankString());
        }
        return List.copyOf(out);
    }

    /**
     * A byte size: an integer (bytes) or a number with a unit {@code B}, {@code KiB}, {@code MiB}, {@code GiB}
     * (also {@code KB}, {@code MB}, {@code GB}, read as powers of 1024), at most {@code max}.
     */
    public long byteSize(long min, long max) {
        long bytes;
        if (value instanceof Integer i) {
            bytes = i;
        } else if (value instanceof Long l) {
            bytes = l;
        } else if (value instanceof String s) {
            int unitStart = 0;
            while (unitStart < s.length() && Character.isDigit(s.charAt(unitStart))) {
                unitStart++;
            }
            if (unitStart == 0 || unitStart > 12) {
                throw error("must be a size such as 512KiB or 10MiB, was '" + s + "'");
            }
            long amount = Long.parseLong(s.substring(0, unitStart));
            long unit = switch (s.substring(unitStart).strip()) {
                case "", "B" -> 1L;
                case "KiB", "KB", "k", "K" -> 1024L;
                case "MiB", "MB", "m", "M" -> 1024L * 1024;
                case "GiB", "GB", "g", "G" -> 1024L * 1024 * 1024;
                default -> throw error("unknown size unit in '" + s + "' (use B, KiB, MiB or GiB)");
            };
            bytes = amount * unit;
        } else {
            throw error("must be a size such as 512KiB or 10MiB, was " + describe(value));
        }
        if (bytes < min || bytes > max) {
            throw error("must be between " + min + " and " + max + " bytes, was " + bytes);
        }
        return bytes;
    }

    /** A duration that may be zero ({@code 0s}). */
    public Duration durationOrZero() {
        if (value instanceof String s && s.matches("0+(ms|s|m|h)")) {
            return Duration.ZERO;
        }
        return duration();
    }

    /** A positive duration written as a number and a unit: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    public Duration duration() {
        if (!(value instanceof String s)) {
            throw error("must be a duration with a unit such as 250ms or 5s, was " + describe(value));
        }
        int unitStart = 0;
        while (unitStart < s.length() && Character.isDigit(s.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0 || unitStart > 12) {
            throw error("must be a duration with a unit such as 250ms or 5s, was '" + s + "'");
        }
        long amount = Long.parseLong(s.substring(0, unitStart));
        Duration d = switch (s.substring(unitStart)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw error("unknown duration unit in '" + s + "' (use ms, s, m or h)");
        };
        if (d.isZero()) {
            throw error("must be greater than zero");
        }
        return d;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "empty";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " '" + v + "'";
    }

    /** A mapping whose keys must all be consumed: {@link #finish()} rejects the first key nobody asked for. */
    public static final class Obj {
        private final YamlNode node;
        private final Map<?, ?> map;
        private final Set<String> known = new LinkedHashSet<>();

        Obj(YamlNode node, Map<?, ?> map) {
            this.node = node;
            this.map = map;
        }

        public YamlNode node() {
            return node;
        }

        public YamlNode required(String key) {
            return optional(key).orElseThrow(() -> new EdgeConfigException(childPath(key) + ": required key is missing"));
        }

        public Optional<YamlNode> optional(String key) {
            known.add(key);
            Object v = map.get(key);
            return v == null ? Optional.empty() : Optional.of(new YamlNode(childPath(key), v));
        }

        /** All entries as child nodes, for maps keyed by user-chosen names (clusters). */
        public List<Map.Entry<String, YamlNode>> entries() {
            List<Map.Entry<String, YamlNode>> out = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = keyOf(e.getKey());
                known.add(key);
                out.add(Map.entry(key, new YamlNode(childPath(key), e.getValue())));
            }
            return out;
        }

        public void finish() {
            for (Object k : map.keySet()) {
                String key = keyOf(k);
                if (!known.contains(key)) {
                    throw new EdgeConfigException(childPath(key) + ": unknown key (allowed: " + String.join(", ", known) + ")");
                }
            }
        }

        private String keyOf(Object k) {
            if (!(k instanceof String s)) {
                throw node.error("keys must be strings, found " + k);
            }
            return s;
        }

        private String childPath(String key) {
            return node.path().isEmpty() ? key : node.path() + "." + key;
        }
    }
}
