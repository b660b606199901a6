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
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(value, out);
        return out.toByteArray();
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
