package io.atrium.edge.config.internal;

import io.atrium.edge.config.EdgeOwnedHeaders;
import io.atrium.edge.config.Template;
import io.atrium.edge.config.TransformConfig;
import io.atrium.edge.config.TransformConfig.Entry;
import io.atrium.edge.config.TransformConfig.FieldEdits;
import io.atrium.edge.config.TransformConfig.Rename;
import io.atrium.policy.PolicySettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code transform} blocks (global defaults and per route). Both are read into their leaf keys
 * ({@code request.headers.add}, {@code response.json.max_body}, ...); a route's leaves replace the global ones of the
 * same key, then the merged leaves are compiled, so every error names the key (global or route) it came from.
 */
public final class TransformReader {

    private static final List<String> EDIT_KEYS = List.of("remove", "rename", "replace", "add", "append");
    private static final List<String> RESPONSE_HEADER_KEYS = List.of("remove", "replace", "add");
    private static final List<String> JSON_KEYS = List.of("remove", "allow", "rename", "max_body", "on_too_large");
    private static final long MAX_JSON_BODY = 64L * 1024 * 1024;

    private TransformReader() {
    }

    /** The leaf keys of a {@code transform} block, in file order (empty when the block is absent). */
    public static Map<String, YamlNode> leaves(Optional<YamlNode> block) {
        Map<String, YamlNode> out = new LinkedHashMap<>();
        if (block.isEmpty()) {
            return out;
        }
        YamlNode.Obj transform = block.get().object();
        transform.optional("enabled").ifPresent(n -> out.put("enabled", n));
        transform.optional("enforce").ifPresent(n -> out.put("enforce", n));
        transform.optional("request").ifPresent(n -> {
            YamlNode.Obj request = n.object();
            request.optional("headers").ifPresent(h -> edits(h, "request.headers.", EDIT_KEYS, out));
            request.optional("query").ifPresent(q -> edits(q, "request.query.", EDIT_KEYS, out));
            request.optional("path").ifPresent(p -> out.put("request.path", p));
            request.optional("host").ifPresent(h -> out.put("request.host", h));
            request.finish();
        });
        transform.optional("response").ifPresent(n -> {
            YamlNode.Obj response = n.object();
            response.optional("headers").ifPresent(h -> edits(h, "response.headers.", RESPONSE_HEADER_KEYS, out));
            response.optional("json").ifPresent(j -> edits(j, "response.json.", JSON_KEYS, out));
            response.finish();
        });
        transform.finish();
        return out;
    }

    private static void edits(YamlNode node, String prefix, List<String> keys, Map<String, YamlNode> out) {
        YamlNode.Obj block = node.object();
        for (String key : keys) {
            block.optional(key).ifPresent(n -> out.put(prefix + key, n));
        }
        block.finish();
    }

    /** Compiles the route's leaves over the global ones. */
    public static TransformConfig compile(Map<String, YamlNode> global, Map<String, YamlNode> route) {
        Map<String, YamlNode> leaves = new LinkedHashMap<>(global);
        leaves.putAll(route);
        if (leaves.isEmpty()) {
            return TransformConfig.NONE;
        }
        boolean enabled = Optional.ofNullable(leaves.get("enabled")).map(YamlNode::bool).orElse(true);
        boolean enforce = Optional.ofNullable(leaves.get("enforce")).map(YamlNode::bool).orElse(true);
        if (!enabled) {
            return TransformConfig.NONE;
        }
        Optional<TransformConfig.PathRewrite> path = Optional.ofNullable(leaves.get("request.path")).map(TransformReader::path);
        List<String> captures = path.map(TransformConfig.PathRewrite::captures).orElse(List.of());
        Function<YamlNode, Template> requestValue = n -> template(n, Template.REQUEST_DATA, captures);
        TransformConfig.Request request = new TransformConfig.Request(
                edits(leaves, "request.headers.", requestValue, EdgeOwnedHeaders::requestRefusal),
                edits(leaves, "request.query.", requestValue, name -> null),
                path,
                Optional.ofNullable(leaves.get("request.host")).map(requestValue));
        TransformConfig.Response response = new TransformConfig.Response(
                edits(leaves, "response.headers.", n -> template(n, Template.EXCHANGE_DATA, List.of()), EdgeOwnedHeaders::responseRefusal),
                json(leaves));
        return new TransformConfig(new PolicySettings(true, enforce), request, response);
    }

    private static FieldEdits edits(Map<String, YamlNode> leaves, String prefix, Function<YamlNode, Template> value,
                                    Function<String, String> refusal) {
        List<String> remove = names(leaves.get(prefix + "remove"), refusal);
        List<Rename> rename = renames(leaves.get(prefix + "rename"), refusal);
        List<Entry> replace = entries(leaves.get(prefix + "replace"), value, refusal);
        List<Entry> add = entries(leaves.get(prefix + "add"), value, refusal);
        List<Entry> append = entries(leaves.get(prefix + "append"), value, refusal);
        return new FieldEdits(remove, rename, replace, add, append);
    }

    private static List<String> names(YamlNode node, Function<String, String> refusal) {
        if (node == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : node.list()) {
            out.add(checked(item, item.nonBlankString(), refusal));
        }
        return out;
    }

    private static List<Rename> renames(YamlNode node, Function<String, String> refusal) {
        if (node == null) {
            return List.of();
        }
        List<Rename> out = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : node.object().entries()) {
            YamlNode target = e.getValue();
            out.add(new Rename(checked(target, e.getKey(), refusal), checked(target, target.nonBlankString(), refusal)));
        }
        return out;
    }

    private static List<Entry> entries(YamlNode node, Function<YamlNode, Template> value, Function<String, String> refusal) {
        if (node == null) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : node.object().entries()) {
            out.add(new Entry(checked(e.getValue(), e.getKey(), refusal), value.apply(e.getValue())));
        }
        return out;
    }

    private static String checked(YamlNode node, String name, Function<String, String> refusal) {
        String why = refusal.apply(name);
        if (why != null) {
            throw node.error("a transformation may not touch this header: " + why);
        }
        return name;
    }

    private static Template template(YamlNode node, Set<Template.Kind> allowed, List<String> captures) {
        Object raw = node.value();
        String text = raw instanceof Number || raw instanceof Boolean ? raw.toString() : node.string();
        try {
            return Template.compile(text, allowed, captures);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static TransformConfig.PathRewrite path(YamlNode node) {
        YamlNode.Obj path = node.object();
        Optional<YamlNode> patternNode = path.optional("pattern");
        YamlNode templateNode = path.required("template");
        path.finish();
        List<String> captures = patternNode.map(TransformReader::captures).orElse(List.of());
        Template template = template(templateNode, Template.REQUEST_DATA, captures);
        String text = templateNode.string();
        if (!text.startsWith("/")) {
            throw templateNode.error("must start with '/', was '" + text + "'");
        }
        if (text.indexOf('?') >= 0 || text.indexOf('#') >= 0) {
            throw templateNode.error("a path only: use transform.request.query for query parameters");
        }
        return new TransformConfig.PathRewrite(patternNode.map(YamlNode::string), captures, template);
    }

    /** The capture names of a path pattern, checked: {@code /a/{id}/b/{rest*}}. */
    private static List<String> captures(YamlNode node) {
        String pattern = node.nonBlankString();
        if (!pattern.startsWith("/")) {
            throw node.error("must start with '/', was '" + pattern + "'");
        }
        List<String> names = new ArrayList<>();
        String[] segments = pattern.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (!segment.startsWith("{") && segment.indexOf('{') < 0 && segment.indexOf('}') < 0) {
                continue;
            }
            if (!segment.startsWith("{") || !segment.endsWith("}") || segment.length() < 3) {
                throw node.error("segment '" + segment + "': a capture is a whole segment, {name} or (last) {name*}");
            }
            String name = segment.substring(1, segment.length() - 1);
            if (name.endsWith("*")) {
                if (i != segments.length - 1) {
                    throw node.error("{" + name + "} captures the rest of the path and must be the last segment");
                }
                name = name.substring(0, name.length() - 1);
            }
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || names.contains(name)) {
                throw node.error("capture '" + name + "' must be a unique name of letters, digits and '_'");
            }
            names.add(name);
        }
        return names;
    }

    private static Optional<TransformConfig.Json> json(Map<String, YamlNode> leaves) {
        List<String> remove = jsonPaths(leaves.get("response.json.remove"));
        List<String> allow = jsonPaths(leaves.get("response.json.allow"));
        List<Rename> rename = new ArrayList<>();
        YamlNode renameNode = leaves.get("response.json.rename");
        if (renameNode != null) {
            for (Map.Entry<String, YamlNode> e : renameNode.object().entries()) {
                checkJsonPath(e.getValue(), e.getKey());
                String to = e.getValue().nonBlankString();
                if (to.indexOf('.') >= 0 || to.indexOf('[') >= 0) {
                    throw e.getValue().error("the new name is a field name, not a path: '" + to + "'");
                }
                rename.add(new Rename(e.getKey(), to));
            }
        }
        YamlNode maxNode = leaves.get("response.json.max_body");
        YamlNode tooLargeNode = leaves.get("response.json.on_too_large");
        if (remove.isEmpty() && allow.isEmpty() && rename.isEmpty()) {
            YamlNode stray = maxNode != null ? maxNode : tooLargeNode;
            if (stray != null) {
                throw stray.error("response.json needs at least one of remove, allow, rename");
            }
            return Optional.empty();
        }
        long maxBody = maxNode == null ? TransformConfig.Json.DEFAULT_MAX_BODY : maxNode.byteSize(1, MAX_JSON_BODY);
        TransformConfig.TooLarge tooLarge = TransformConfig.TooLarge.PASS;
        if (tooLargeNode != null) {
            String mode = tooLargeNode.nonBlankString();
            tooLarge = switch (mode) {
                case "pass" -> TransformConfig.TooLarge.PASS;
                case "reject" -> TransformConfig.TooLarge.REJECT;
                case "stream" -> TransformConfig.TooLarge.STREAM;
                default -> throw tooLargeNode.error("must be one of pass, reject, stream, was '" + mode + "'");
            };
        }
        return Optional.of(new TransformConfig.Json(remove, allow, rename, maxBody, tooLarge));
    }

    private static List<String> jsonPaths(YamlNode node) {
        if (node == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : node.list()) {
            out.add(checkJsonPath(item, item.nonBlankString()));
        }
        return out;
    }

    /** {@code $} followed by {@code .field} and {@code [*]} steps, ending with a field. */
    private static String checkJsonPath(YamlNode node, String path) {
        if (!path.matches("\\$(\\.[^.\\[\\]]+|\\[\\*])*\\.[^.\\[\\]]+")) {
            throw node.error("'" + path + "' is not a supported JSON path: $ then .field or [*] steps, ending with a field (e.g. $.items[*].secret)");
        }
        return path;
    }
}
