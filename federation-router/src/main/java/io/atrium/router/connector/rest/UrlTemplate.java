package io.atrium.router.connector.rest;

import io.atrium.router.connector.rest.selection.JsonSelection;
import io.atrium.router.connector.rest.selection.SelectionSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A connector string template: literal text with {@code {expression}} parts (JSONSelection paths such as
 * {@code {$args.id}} or {@code {$batch.id->joinNotNull(",")}}). Used for URLs and header values.
 */
final class UrlTemplate {

    private sealed interface Part permits Text, Expression {
    }

    private record Text(String text) implements Part {
    }

    private record Expression(JsonSelection selection) implements Part {
    }

    private final String source;
    private final List<Part> parts;
    private final Set<String> variables;

    private UrlTemplate(String source, List<Part> parts, Set<String> variables) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.variables = Set.copyOf(variables);
    }

    static UrlTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        Set<String> variables = new LinkedHashSet<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('{', at);
            if (open < 0) {
                parts.add(new Text(template.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(new Text(template.substring(at, open)));
            }
            int close = closing(template, open);
            JsonSelection expression = JsonSelection.parse(template.substring(open + 1, close));
            variables.addAll(expression.variables());
            parts.add(new Expression(expression));
            at = close + 1;
        }
        return new UrlTemplate(template, parts, variables);
    }

    /** The matching '}' (expressions may hold object literals and strings). */
    private static int closing(String template, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < template.length(); i++) {
            char c = template.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new SelectionSyntaxException("unclosed '{' at offset " + open + " of template \"" + template + "\"");
    }

    Set<String> variables() {
        return variables;
    }

    boolean isAbsolute() {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    /**
     * @param encode percent-encodes each interpolated value (URL parts), or inserts it as is (header values)
     * @return the text; an expression with no value interpolates nothing, a list its items joined by commas
     */
    String render(Map<String, Object> vars, boolean encode) {
        StringBuilder out = new StringBuilder(source.length() + 16);
        for (Part part : parts) {
            switch (part) {
                case Text text -> out.append(text.text());
                case Expression expression -> {
                    String value = text(expression.selection().apply(Map.of(), vars));
                    out.append(encode ? Http.encode(value) : value);
                }
            }
        }
        return out.toString();
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            StringBuilder joined = new StringBuilder();
            for (Object item : list) {
                if (item != null) {
                    if (!joined.isEmpty()) {
                        joined.append(',');
                    }
                    joined.append(text(item));
                }
            }
            return joined.toString();
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return value instanceof Map ? io.atrium.router.json.Json.writeString(value) : value.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
