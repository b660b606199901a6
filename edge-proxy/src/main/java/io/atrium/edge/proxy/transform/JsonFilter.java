package io.atrium.edge.proxy.transform;

import io.atrium.edge.config.TransformConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Removes, keeps (allow-list) and renames JSON fields by path, token by token: the document is never built as a tree,
 * and values are copied exactly as written (numbers keep their digits). The paths are compiled once into a trie.
 *
 * <p>Paths are {@code $} followed by {@code .field} and {@code [*]} steps and end with a field. A field step on an array
 * applies to each of its elements, so {@code $.items.id} and {@code $.items[*].id} are the same. With an allow-list, an
 * object on the way to an allowed field keeps only the fields that lead to one; an allowed field keeps everything under
 * it (except what {@code remove} names).
 */
public final class JsonFilter {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** One position in the document. */
    private static final class Node {
        final Map<String, Node> fields = new HashMap<>();
        Node elements;
        boolean remove;
        String rename;
        boolean allowed;
        boolean leadsToAllowed;

        Node field(String name) {
            return fields.computeIfAbsent(name, n -> new Node());
        }

        boolean restricts() {
            return leadsToAllowed && !allowed;
        }

        boolean kept() {
            return allowed || leadsToAllowed;
        }
    }

    private final Node root = new Node();

    private JsonFilter(TransformConfig.Json json) {
        for (String path : json.remove()) {
            walk(path, false).remove = true;
        }
        for (TransformConfig.Rename rename : json.rename()) {
            walk(rename.from(), false).rename = rename.to();
        }
        for (String path : json.allow()) {
            walk(path, true).allowed = true;
        }
    }

    public static JsonFilter compile(TransformConfig.Json json) {
        return new JsonFilter(json);
    }

    /** The node of a (checked) path, created on the way; {@code allow} marks every node on the way as leading to it. */
    private Node walk(String path, boolean allow) {
        Node node = root;
        int i = 1; // after '$'
        while (i < path.length()) {
            if (allow) {
                node.leadsToAllowed = true;
            }
            if (path.startsWith("[*]", i)) {
                if (node.elements == null) {
                    node.elements = new Node();
                }
                node = node.elements;
                i += 3;
                continue;
            }
            int end = i + 1;
            while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                end++;
            }
            node = node.field(path.substring(i + 1, end));
            i = end;
        }
        return node;
    }

    /**
     * Writes the filtered document read from {@code in} to {@code out}. Throws {@link JacksonException} when the input is
     * not one well-formed JSON value (the caller then forwards the body unchanged).
     */
    public void filter(InputStream in, OutputStream out) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), in);
             JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException("empty body");
            }
            value(parser, generator, root);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("more than one JSON value");
            }
        }
    }

    private static void value(JsonParser p, JsonGenerator g, Node node) {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            object(p, g, node);
        } else if (token == JsonToken.START_ARRAY) {
            g.writeStartArray();
            Node element = node == null ? null : node.elements != null ? node.elements : node;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                value(p, g, element);
            }
            g.writeEndArray();
        } else {
            g.copyCurrentEventExact(p);
        }
    }

    private static void object(JsonParser p, JsonGenerator g, Node node) {
        g.writeStartObject();
        boolean restricted = node != null && node.restricts();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            Node child = node == null ? null : node.fields.get(name);
            p.nextToken();
            if (child != null && child.remove || restricted && (child == null || !child.kept())) {
                p.skipChildren();
                continue;
            }
            g.writeName(child != null && child.rename != null ? child.rename : name);
            value(p, g, child);
        }
        g.writeEndObject();
    }
}
