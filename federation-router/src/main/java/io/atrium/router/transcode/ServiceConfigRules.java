package io.atrium.router.transcode;

import com.google.api.CustomHttpPattern;
import com.google.api.HttpRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The {@code http.rules} of a Google API service-config YAML ({@code google.api.Service}), as gRPC transcoders
 * read it. A rule here replaces the method's {@code google.api.http} annotation (same selector); unknown keys fail
 * with their path.
 *
 * <pre>
 * type: google.api.Service
 * config_version: 3
 * http:
 *   rules:
 *     - selector: grpc.testing.TestService.UnaryCall
 *       post: /v1/unary
 *       body: "*"
 *       additional_bindings: [{get: /v1/unary/{response_size}}]
 * </pre>
 */
final class ServiceConfigRules {
    private static final Set<String> TOP = Set.of("type", "config_version", "name", "title", "apis", "http");
    private static final Set<String> RULE = Set.of("selector", "get", "put", "post", "delete", "patch", "custom",
            "body", "response_body", "additional_bindings");

    private ServiceConfigRules() {
    }

    /** @return rules by selector, in file order */
    static Map<String, HttpRule> load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read service config " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    static Map<String, HttpRule> parse(String yaml, String source) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        Map<String, HttpRule> rules = new LinkedHashMap<>();
        if (root == null) {
            return rules;
        }
        Map<String, Object> top = map(root, source, "");
        check(top, TOP, source, "");
        if (!top.containsKey("http")) {
            return rules;
        }
        Map<String, Object> http = map(top.get("http"), source, "http");
        check(http, Set.of("rules", "fully_decode_reserved_expansion"), source, "http");
        if (Boolean.TRUE.equals(http.get("fully_decode_reserved_expansion"))) {
            throw new IllegalArgumentException(source + ": http.fully_decode_reserved_expansion is not supported");
        }
        if (!(http.getOrDefault("rules", List.of()) instanceof List<?> list)) {
            throw new IllegalArgumentException(source + ": http.rules must be a list");
        }
        for (int i = 0; i < list.size(); i++) {
            String path = "http.rules[" + i + "]";
            HttpRule rule = rule(map(list.get(i), source, path), source, path, true);
            if (rules.put(rule.getSelector(), rule) != null) {
                throw new IllegalArgumentException(source + ": " + path + ": a second rule for selector '"
                        + rule.getSelector() + "'");
            }
        }
        return rules;
    }

    private static HttpRule rule(Map<String, Object> map, String source, String path, boolean top) {
        check(map, RULE, source, path);
        HttpRule.Builder rule = HttpRule.newBuilder();
        if (top) {
            rule.setSelector(string(map.get("selector"), source, path + ".selector"));
        } else if (map.containsKey("selector") || map.containsKey("additional_bindings")) {
            throw new IllegalArgumentException(source + ": " + path
                    + ": an additional binding has no selector and no additional_bindings of its own");
        }
        int patterns = 0;
        for (String verb : List.of("get", "put", "post", "delete", "patch")) {
            if (map.containsKey(verb)) {
                patterns++;
                String template = string(map.get(verb), source, path + "." + verb);
                switch (verb) {
                    case "get" -> rule.setGet(template);
                    case "put" -> rule.setPut(template);
                    case "post" -> rule.setPost(template);
                    case "delete" -> rule.setDelete(template);
                    default -> rule.setPatch(template);
                }
            }
        }
        if (map.containsKey("custom")) {
            patterns++;
            Map<String, Object> custom = map(map.get("custom"), source, path + ".custom");
            check(custom, Set.of("kind", "path"), source, path + ".custom");
            rule.setCustom(CustomHttpPattern.newBuilder()
                    .setKind(string(custom.get("kind"), source, path + ".custom.kind"))
                    .setPath(string(custom.get("path"), source, path + ".custom.path")));
        }
        if (patterns != 1) {
            throw new IllegalArgumentException(source + ": " + path
                    + ": exactly one of get, put, post, delete, patch, custom is needed");
        }
        if (map.containsKey("body")) {
            rule.setBody(string(map.get("body"), source, path + ".body"));
        }
        if (map.containsKey("response_body")) {
            rule.setResponseBody(string(map.get("response_body"), source, path + ".response_body"));
        }
        if (map.get("additional_bindings") instanceof List<?> more) {
            for (int i = 0; i < more.size(); i++) {
                String sub = path + ".additional_bindings[" + i + "]";
                rule.addAdditionalBindings(rule(map(more.get(i), source, sub), source, sub, false));
            }
        } else if (map.containsKey("additional_bindings")) {
            throw new IllegalArgumentException(source + ": " + path + ".additional_bindings must be a list");
        }
        return rule.build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String source, String path) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(source + ": " + (path.isEmpty() ? "the document" : path) + " must be a map");
    }

    private static String string(Object value, String source, String path) {
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new IllegalArgumentException(source + ": " + path + " must be a non-empty string");
    }

    private static void check(Map<String, Object> map, Set<String> allowed, String source, String path) {
        List<String> unknown = new ArrayList<>();
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                unknown.add(path.isEmpty() ? key : path + "." + key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(source + ": unknown key " + String.join(", ", unknown));
        }
    }
}
