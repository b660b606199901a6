package io.atrium.graphql.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads JSON into plain Java values (LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double, Boolean,
 * null) with Jackson streaming: request bodies, GET parameters and manifests.
 */
public final class JsonReader {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonReader() {
    }

    /** Parses one JSON document; throws {@link JsonSyntaxException} when it is not valid JSON. */
    public static Object read(byte[] bytes) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), bytes)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new JsonSyntaxException("empty JSON document");
            }
            Object value = readValue(parser, token);
            if (parser.nextToken() != null) {
                throw new JsonSyntaxException("trailing content after the JSON value");
            }
            return value;
        } catch (JacksonException e) {
            throw new JsonSyntaxException("invalid JSON: " + e.getOriginalMessage());
        }
    }

    public static Object read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
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
            default -> throw new JsonSyntaxException("unexpected JSON token " + token);
        }
    }
}
