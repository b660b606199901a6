package io.atrium.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the features our manifests use and nothing
 * else: {@code resources} (files and directories), {@code namespace}, {@code labels} (metadata only),
 * {@code configMapGenerator} ({@code files}), {@code secretGenerator} ({@code envs}), {@code images} and JSON 6902
 * {@code patches} (add/replace) selected by kind and name. Generated names keep no hash suffix. A key it does not
 * know fails the render, so a manifest can never use a feature this test silently ignores.
 */
final class Kustomize {
    private static final Set<String> KNOWN = Set.of("apiVersion", "kind", "resources", "namespace", "labels",
            "configMapGenerator", "secretGenerator", "images", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    private Kustomize() {
    }

    /** @param substitutes files the render reads instead of ones a user creates (e.g. secrets.env → its example) */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> build(Path dir, Map<String, Path> substitutes) throws IOException {
        Map<String, Object> k = (Map<String, Object>) yaml().load(Files.readString(dir.resolve("kustomization.yaml")));
        for (String key : k.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException(dir + ": kustomization key '" + key + "' is not rendered by this test");
            }
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String resource : (List<String>) k.getOrDefault("resources", List.of())) {
            Path path = dir.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(build(path, substitutes));
            } else {
                for (Object doc : yaml().loadAll(Files.readString(path))) {
                    if (doc != null) {
                        objects.add((Map<String, Object>) doc);
                    }
                }
            }
        }
        for (Map<String, Object> generator : (List<Map<String, Object>>) k.getOrDefault("configMapGenerator", List.of())) {
            Map<String, Object> data = new LinkedHashMap<>();
            for (String file : (List<String>) generator.get("files")) {
                String[] parts = file.split("=", 2);
                String key = parts.length == 2 ? parts[0] : Path.of(file).getFileName().toString();
                data.put(key, Files.readString(dir.resolve(parts[parts.length - 1])));
            }
            objects.add(object("v1", "ConfigMap", (String) generator.get("name"), Map.of("data", data)));
        }
        for (Map<String, Object> generator : (List<Map<String, Object>>) k.getOrDefault("secretGenerator", List.of())) {
            Map<String, Object> data = new LinkedHashMap<>();
            for (String env : (List<String>) generator.get("envs")) {
                Path file = substitutes.getOrDefault(env, dir.resolve(env));
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        String[] kv = line.split("=", 2);
                        data.put(kv[0], Base64.getEncoder().encodeToString(kv[1].getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            objects.add(object("v1", "Secret", (String) generator.get("name"), Map.of("type", "Opaque", "data", data)));
        }
        for (Map<String, Object> patch : (List<Map<String, Object>>) k.getOrDefault("patches", List.of())) {
            Map<String, Object> target = (Map<String, Object>) patch.get("target");
            List<Map<String, Object>> ops = (List<Map<String, Object>>) yaml().load((String) patch.get("patch"));
            for (Map<String, Object> object : objects) {
                if (target.get("kind").equals(object.get("kind"))
                        && (!target.containsKey("name") || target.get("name").equals(name(object)))) {
                    ops.forEach(op -> apply(object, op));
                }
            }
        }
        for (Map<String, Object> label : (List<Map<String, Object>>) k.getOrDefault("labels", List.of())) {
            for (Map<String, Object> object : objects) {
                ((Map<String, Object>) metadata(object).computeIfAbsent("labels", x -> new LinkedHashMap<>()))
                        .putAll((Map<String, Object>) label.get("pairs"));
            }
        }
        for (Map<String, Object> image : (List<Map<String, Object>>) k.getOrDefault("images", List.of())) {
            for (Map<String, Object> object : objects) {
                for (Map<String, Object> container : Manifests.containers(object)) {
                    String current = (String) container.get("image");
                    if (current.split(":")[0].equals(image.get("name"))) {
                        container.put("image", image.get("newName") + ":" + image.get("newTag"));
                    }
                }
            }
        }
        if (k.containsKey("namespace")) {
            for (Map<String, Object> object : objects) {
                if (!CLUSTER_SCOPED.contains(object.get("kind"))) {
                    metadata(object).put("namespace", k.get("namespace"));
                }
            }
        }
        return objects;
    }

    static Yaml yaml() {
        return new Yaml(new LoaderOptions());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.computeIfAbsent("metadata", x -> new LinkedHashMap<>());
    }

    static String name(Map<String, Object> object) {
        return (String) metadata(object).get("name");
    }

    private static Map<String, Object> object(String apiVersion, String kind, String name, Map<String, Object> body) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
        object.putAll(body);
        return object;
    }

    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> object, Map<String, Object> op) {
        String[] path = ((String) op.get("path")).substring(1).split("/");
        Object parent = object;
        for (int i = 0; i < path.length - 1; i++) {
            parent = parent instanceof List<?> list ? list.get(Integer.parseInt(path[i])) : ((Map<String, Object>) parent).get(path[i]);
            if (parent == null) {
                throw new IllegalArgumentException("patch path " + op.get("path") + " missing in " + name(object));
            }
        }
        String last = path[path.length - 1];
        Object value = op.get("value");
        switch ((String) op.get("op")) {
            case "replace" -> {
                if (parent instanceof List<?> list) {
                    ((List<Object>) list).set(Integer.parseInt(last), value);
                } else if (((Map<String, Object>) parent).put(last, value) == null) {
                    throw new IllegalArgumentException("replace of missing " + op.get("path") + " in " + name(object));
                }
            }
            case "add" -> {
                if (parent instanceof List<?> list) {
                    if (last.equals("-")) {
                        ((List<Object>) list).add(value);
                    } else {
                        ((List<Object>) list).add(Integer.parseInt(last), value);
                    }
                } else {
                    ((Map<String, Object>) parent).put(last, value);
                }
            }
            default -> throw new IllegalArgumentException("patch op " + op.get("op") + " is not rendered by this test");
        }
    }
}
