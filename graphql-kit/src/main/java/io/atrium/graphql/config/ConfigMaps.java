package io.atrium.graphql.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Strict reading of YAML/JSON config blocks given as maps: unknown keys and wrong types fail with the key's path. */
public final class ConfigMaps {
    private ConfigMaps() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value, String path) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new GraphQLConfigException(path + ": expected a mapping");
    }

    public static void checkKeys(Map<String, Object> map, Set<String> allowed, String path) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new GraphQLConfigException("unknown key '" + path + "." + key + "'; allowed here: "
                        + new TreeSet<>(allowed));
            }
        }
    }

    public static int positiveInt(Map<String, Object> map, String key, int fallback, String path) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer i && i > 0) {
            return i;
        }
        throw new GraphQLConfigException(path + "." + key + ": expected a positive whole number, got " + value);
    }

    public static boolean bool(Map<String, Object> map, String key, boolean fallback, String path) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new GraphQLConfigException(path + "." + key + ": expected true or false");
    }

    public static String string(Map<String, Object> map, String key, String fallback, String path) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new GraphQLConfigException(path + "." + key + ": expected a non-empty string");
    }

    /** One of {@code allowed} (lower-case names of an enum's constants). */
    public static <E extends Enum<E>> E choice(Map<String, Object> map, String key, E fallback, Class<E> type, String path) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            value = b ? "on" : "off"; // YAML 1.1 reads an unquoted off/on as a boolean
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(java.util.Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        Set<String> names = new TreeSet<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw new GraphQLConfigException(path + "." + key + ": expected one of " + names + ", got " + value);
    }
}
