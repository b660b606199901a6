package io.atrium.edge.proxy.transform;

import io.atrium.edge.config.TransformConfig;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Removes, keeps (allow-list) and renames JSON fields by path, token by token: the document is never built as a tree,
 * and values are copied exactly as written (numbers keep their digits). The paths are compiled once into a trie. The
 * same token machine filters a whole body ({@link #filter}) or one fed chunk by chunk ({@link #stream()}), keeping only
 * the open containers on a stack.
 *
 * <p>Paths are {@code $} followed by {@code .field} and {@code [*]} steps and end with a field. A field step on an array
 * applies to each of its elements, so {@code $.items.id} and {@code $.items[*].id} are the same. With an allow-list, an
 * object on the way to an allowed field keeps only the fields that lead to one; an allowed field keeps everything under
 * it (except what {@code remove} names).
 *
 * <p>Malformed input throws (a {@code JacksonException}, or {@link IllegalArgumentException} for a missing, truncated or
 * repeated top-level value).
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

    /** Writes the filtered document read from {@code in} to {@code out}; throws on malformed input. */
    public void filter(InputStream in, OutputStream out) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), in);
             JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            Machine machine = new Machine(parser, generator);
            machine.drain();
            machine.checkComplete();
        }
    }

    /** A filter for one body fed in chunks; output comes out as it is produced. */
    public Stream stream() {
        return new Stream();
    }

    /** One body being filtered while it streams. Confined to one thread; not reusable. */
    public final class Stream {

        private final ByteArrayOutputStream produced = new ByteArrayOutputStream(8192);
        private final JsonParser parser = FACTORY.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        private final JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), produced);
        private final Machine machine = new Machine(parser, generator);

        private Stream() {
        }

        /** Filters the next bytes of the body; returns what is ready to send (possibly empty). Throws on malformed input. */
        public byte[] feed(byte[] bytes) {
            ((ByteArrayFeeder) parser.nonBlockingInputFeeder()).feedInput(bytes, 0, bytes.length);
            machine.drain();
            return take();
        }

        /** The end of the body: returns the rest of the output. Throws when the document is incomplete. */
        public byte[] finish() {
            parser.nonBlockingInputFeeder().endOfInput();
            machine.drain();
            machine.checkComplete();
            generator.close();
            parser.close();
            return take();
        }

        private byte[] take() {
            generator.flush();
            byte[] out = produced.toByteArray();
            produced.reset();
            return out;
        }
    }

    /** An open container being written: its node (for an array, its elements' node) and whether it restricts fields. */
    private record Frame(Node node, boolean object, boolean restricted) {
    }

    /** The token machine: reads tokens while the parser has them and writes what the rules keep. */
    private final class Machine {

        private final JsonParser parser;
        private final JsonGenerator generator;
        private final ArrayDeque<Frame> open = new ArrayDeque<>();
        /** The node of the value after the current field name (objects only). */
        private Node pending;
        private boolean skipNext;
        /** Depth inside a value being skipped (0: not skipping). */
        private int skipDepth;
        private boolean done;

        Machine(JsonParser parser, JsonGenerator generator) {
            this.parser = parser;
            this.generator = generator;
        }

        void drain() {
            JsonToken token;
            while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
                if (done) {
                    throw new IllegalArgumentException("more than one JSON value");
                }
                token(token);
            }
        }

        void checkComplete() {
            if (!done) {
                throw new IllegalArgumentException("the body is not one complete JSON value");
            }
        }

        private void token(JsonToken token) {
            if (skipDepth > 0) {
                skipDepth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
                return;
            }
            if (token == JsonToken.PROPERTY_NAME) {
                name(open.peek());
                return;
            }
            if (token.isStructEnd()) {
                open.pop();
                if (token == JsonToken.END_OBJECT) {
                    generator.writeEndObject();
                } else {
                    generator.writeEndArray();
                }
                done = open.isEmpty();
                return;
            }
            Frame parent = open.peek();
            Node node = parent == null ? root : parent.object() ? pending : parent.node();
            if (skipNext) {
                skipNext = false;
                skipDepth = token.isStructStart() ? 1 : 0;
                return;
            }
            if (token == JsonToken.START_OBJECT) {
                generator.writeStartObject();
                open.push(new Frame(node, true, node != null && node.restricts()));
            } else if (token == JsonToken.START_ARRAY) {
                generator.writeStartArray();
                open.push(new Frame(node == null ? null : node.elements != null ? node.elements : node, false, false));
            } else {
                generator.copyCurrentEventExact(parser);
                done = parent == null;
            }
        }

        private void name(Frame object) {
            String name = parser.currentName();
            Node child = object.node() == null ? null : object.node().fields.get(name);
            if (child != null && child.remove || object.restricted() && (child == null || !child.kept())) {
                skipNext = true;
                return;
            }
            generator.writeName(child != null && child.rename != null ? child.rename : name);
            pending = child;
        }
    }
}
