package io.atrium.router.json;

import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonSyntaxException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * JSON as plain Java values (LinkedHashMap, ArrayList, String, Number, Boolean, null) via Jackson streaming; reading
 * is graphql-kit's {@link JsonReader}, writing (with pre-serialized {@link RawJson} parts) is the router's own.
 * Response trees are merged and re-shaped in place, so a generic tree is the natural model here.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /**
     * A map for an object of {@code fields} fields built in code, with the table a parsed object has (16 buckets; twice
     * the fields above 8) rather than the smallest that fits: such objects are read by key (the next mapping step, the
     * response writer), and in a table sized to fit, keys share buckets. Measured (async-profiler, same answer, side by
     * side): the response writer's lookups cost the connectors router 2.3x the GraphQL router's, 1.3x with this table.
     */
    public static Map<String, Object> object(int fields) {
        return new LinkedHashMap<>(Math.max(16, 2 * fields));
    }

    /** Parses a JSON document; throws {@link JsonException} when it is not valid JSON. */
    public static Object read(byte[] bytes) {
        try {
            return JsonReader.read(bytes);
        } catch (JsonSyntaxException e) {
            throw new JsonException(e.getMessage());
        }
    }

    public static Object read(String text) {
        return read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static byte[] write(Object value) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            Map.Entry<?, ?> first = map.entrySet().iterator().next();
            if (first.getKey() instanceof String name && first.getValue() instanceof RawJson raw) {
                return writeRawFirst(map, name, raw);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(value, out);
        return out.toByteArray();
    }

    /**
     * An object whose first member is already serialized (the client response: {@code {"data": <streamed>, ...}}):
     * the same bytes as the generator writes, assembled with one copy of the (possibly large) raw value into an
     * array of the exact size.
     */
    private static byte[] writeRawFirst(Map<?, ?> map, String name, RawJson raw) {
        byte[] quotedName = write(name);
        byte[] rest = null;
        if (map.size() > 1) {
            Map<Object, Object> others = new LinkedHashMap<>(map);
            others.remove(name);
            rest = write(others); // {"k":v,...}: its members follow the raw value after a comma
        }
        byte[] out = new byte[1 + quotedName.length + 1 + raw.byteLength() + (rest == null ? 1 : rest.length)];
        int at = 0;
        out[at++] = '{';
        System.arraycopy(quotedName, 0, out, at, quotedName.length);
        at += quotedName.length;
        out[at++] = ':';
        raw.copyTo(out, at);
        at += raw.byteLength();
        if (rest == null) {
            out[at] = '}';
        } else {
            out[at++] = ',';
            System.arraycopy(rest, 1, out, at, rest.length - 1);
        }
        return out;
    }

    public static String writeString(Object value) {
        return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A generator writing UTF-8 to {@code out}; the caller closes it. */
    public static JsonGenerator generator(OutputStream out) {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    public static void write(Object value, OutputStream out) {
        try (JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            writeValue(generator, value);
        }
    }

    /**
     * Writes a plain Java JSON value. An instanceof chain, most frequent types first: on the response hot path it
     * is markedly cheaper than a pattern-matching switch over types (which bootstraps a linear type search).
     */
    public static void writeValue(JsonGenerator generator, Object value) {
        if (value instanceof String s) {
            generator.writeString(s);
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = entry.getKey();
                generator.writeName(key instanceof String k ? k : String.valueOf(key));
                writeValue(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value == null) {
            generator.writeNull();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                writeValue(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof Integer i) {
            generator.writeNumber(i);
        } else if (value instanceof RawJson raw) {
            generator.writeRawValue(raw);
        } else if (value instanceof Boolean b) {
            generator.writeBoolean(b);
        } else if (value instanceof Long l) {
            generator.writeNumber(l);
        } else if (value instanceof Double d) {
            generator.writeNumber(d);
        } else if (value instanceof Float f) {
            generator.writeNumber(f);
        } else if (value instanceof BigInteger bi) {
            generator.writeNumber(bi);
        } else if (value instanceof BigDecimal bd) {
            generator.writeNumber(bd);
        } else if (value instanceof Number n) {
            generator.writeNumber(n.doubleValue());
        } else if (value instanceof Enum<?> e) {
            generator.writeString(e.name());
        } else {
            generator.writeString(value.toString());
        }
    }
}
