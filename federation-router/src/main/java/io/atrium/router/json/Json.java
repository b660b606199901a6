package io.atrium.router.json;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * JSON as plain Java values (LinkedHashMap, ArrayList, String, Number, Boolean, null) via Jackson streaming.
 * Response trees are merged and re-shaped in place, so a generic tree is the natural model here.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** Parses a JSON document; throws {@link JsonException} when it is not valid JSON. */
    public static Object read(byte[] bytes) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), bytes)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new JsonException("empty JSON document");
            }
            Object value = readValue(parser, token);
            if (parser.nextToken() != null) {
                throw new JsonException("trailing content after the JSON value");
            }
            return value;
        } catch (JacksonException e) {
            throw new JsonException("invalid JSON: " + e.getOriginalMessage());
        }
    }

    public static Object read(String text) {
        return read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Object readValue(JsonParser parser, JsonToken token) {
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    map.put(name, readValue(parser, parser.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, next));
                }
                return list;
            }
            case VALUE_STRING -> {
                return parser.getString();
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> parser.getIntValue();
                    case LONG -> parser.getLongValue();
                    default -> parser.getBigIntegerValue();
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonException("unexpected JSON token " + token);
        }
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
