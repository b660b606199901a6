package io.atrium.router.transcode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code google.api.http} path template, parsed once at load time (grammar of {@code google/api/http.proto}):
 * <pre>
 * Template = "/" Segments [ Verb ] ;
 * Segments = Segment { "/" Segment } ;
 * Segment  = "*" | "**" | LITERAL | Variable ;
 * Variable = "{" FieldPath [ "=" Segments ] "}" ;
 * FieldPath = IDENT { "." IDENT } ;
 * Verb     = ":" LITERAL ;
 * </pre>
 * {@code {var}} is {@code {var=*}}; {@code **} matches zero or more segments and must be last; variables do not nest
 * and a field path is bound at most once.
 *
 * @param segments  the flattened segments (a variable's own segments included)
 * @param variables each variable with the segment range it captures
 * @param verb      the custom verb without its colon, or null
 * @param text      the template as written
 */
public record PathTemplate(List<Segment> segments, List<Variable> variables, String verb, String text) {

    public PathTemplate {
        segments = List.copyOf(segments);
        variables = List.copyOf(variables);
    }

    /** One path segment of a template. */
    public sealed interface Segment {
    }

    /** A literal segment, matched exactly (after percent-decoding of the request segment). */
    public record Literal(String value) implements Segment {
    }

    /** {@code *}: exactly one non-empty segment. */
    public record Single() implements Segment {
    }

    /** {@code **}: zero or more segments; only last. */
    public record Rest() implements Segment {
    }

    /**
     * @param fieldPath the request field the captured text goes to ({@code a.b.c})
     * @param from      first captured segment index
     * @param to        one past the last captured segment index
     * @param multi     true when it captures more than {@code *} (a multi-segment variable: {@code %2F} kept as is)
     */
    public record Variable(String fieldPath, int from, int to, boolean multi) {
    }

    /** @throws IllegalArgumentException with what is wrong and where */
    public static PathTemplate parse(String text) {
        return new Parser(text).parse();
    }

    /**
     * Matches already split request segments (raw, still percent-encoded, verb removed).
     *
     * @return the bound variables (field path → decoded value) or null when the path does not match
     */
    public Map<String, String> match(List<String> raw) {
        int n = segments.size();
        boolean rest = n > 0 && segments.get(n - 1) instanceof Rest;
        if (rest ? raw.size() < n - 1 : raw.size() != n) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            Segment segment = segments.get(i);
            if (segment instanceof Literal literal) {
                if (!literal.value().equals(PercentCoding.decode(raw.get(i), false))) {
                    return null;
                }
            } else if (segment instanceof Single && raw.get(i).isEmpty()) {
                return null;
            }
        }
        Map<String, String> bound = new LinkedHashMap<>();
        for (Variable variable : variables) {
            int to = variable.to() == n && rest ? raw.size() : variable.to();
            StringBuilder value = new StringBuilder();
            for (int i = variable.from(); i < to; i++) {
                if (i > variable.from()) {
                    value.append('/');
                }
                value.append(PercentCoding.decode(raw.get(i), variable.multi()));
            }
            bound.put(variable.fieldPath(), value.toString());
        }
        return bound;
    }

    /**
     * The template's shape for conflict checks and ordering: literals by value, {@code *} and variables alike.
     * Two templates with equal shapes (and verbs) match exactly the same paths.
     */
    public String shape() {
        StringBuilder out = new StringBuilder();
        for (Segment segment : segments) {
            out.append('/');
            switch (segment) {
                case Literal literal -> out.append('=').append(literal.value());
                case Single ignored -> out.append('*');
                case Rest ignored -> out.append("**");
            }
        }
        return verb == null ? out.toString() : out.append(':').append(verb).toString();
    }

    /**
     * Orders matching candidates: compared segment by segment, a literal beats {@code *} beats {@code **};
     * negative when this template is the more specific one.
     */
    int compareSpecificity(PathTemplate other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            int diff = rank(segments.get(i)) - rank(other.segments.get(i));
            if (diff != 0) {
                return diff;
            }
        }
        return Integer.compare(other.segments.size(), segments.size());
    }

    private static int rank(Segment segment) {
        return switch (segment) {
            case Literal ignored -> 0;
            case Single ignored -> 1;
            case Rest ignored -> 2;
        };
    }

    private static final class Parser {
        private final String text;
        private int pos;
        private final List<Segment> segments = new ArrayList<>();
        private final List<Variable> variables = new ArrayList<>();

        Parser(String text) {
            this.text = text;
        }

        PathTemplate parse() {
            if (text == null || !text.startsWith("/")) {
                throw fail("a path template starts with '/'");
            }
            String verb = null;
            String body = text;
            int lastSlash = text.lastIndexOf('/');
            int colon = text.indexOf(':', lastSlash);
            if (colon >= 0 && text.indexOf('}', colon) < 0) {
                verb = text.substring(colon + 1);
                if (verb.isEmpty() || !isLiteral(verb)) {
                    throw fail("the verb after ':' must be a literal");
                }
                body = text.substring(0, colon);
            }
            String segmentsText = body.substring(1);
            pos = 0;
            parseSegments(segmentsText, null);
            for (int i = 0; i < segments.size() - 1; i++) {
                if (segments.get(i) instanceof Rest) {
                    throw fail("'**' must be the last segment");
                }
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Variable variable : variables) {
                if (!seen.add(variable.fieldPath())) {
                    throw fail("field '" + variable.fieldPath() + "' is bound twice");
                }
            }
            return new PathTemplate(segments, variables, verb, text);
        }

        private void parseSegments(String s, String variable) {
            List<String> parts = splitTopLevel(s);
            for (String part : parts) {
                if (part.equals("*")) {
                    segments.add(new Single());
                } else if (part.equals("**")) {
                    segments.add(new Rest());
                } else if (part.startsWith("{")) {
                    if (variable != null) {
                        throw fail("variables cannot nest");
                    }
                    if (!part.endsWith("}")) {
                        throw fail("unclosed variable '" + part + "'");
                    }
                    parseVariable(part.substring(1, part.length() - 1));
                } else if (isLiteral(part)) {
                    segments.add(new Literal(part));
                } else {
                    throw fail("'" + part + "' is not a literal, '*', '**' or a variable");
                }
            }
        }

        private void parseVariable(String inner) {
            int eq = inner.indexOf('=');
            String fieldPath = eq < 0 ? inner : inner.substring(0, eq);
            if (!fieldPath.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
                throw fail("'" + fieldPath + "' is not a field path");
            }
            int from = segments.size();
            if (eq < 0) {
                segments.add(new Single());
            } else {
                String sub = inner.substring(eq + 1);
                if (sub.isEmpty()) {
                    throw fail("variable '" + fieldPath + "' has an empty pattern");
                }
                parseSegments(sub, fieldPath);
            }
            int to = segments.size();
            boolean multi = to - from > 1 || segments.get(from) instanceof Rest;
            variables.add(new Variable(fieldPath, from, to, multi));
        }

        private List<String> splitTopLevel(String s) {
            List<String> parts = new ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                } else if (c == '/' && depth == 0) {
                    parts.add(s.substring(start, i));
                    start = i + 1;
                }
            }
            parts.add(s.substring(start));
            for (String part : parts) {
                if (part.isEmpty()) {
                    throw fail("empty segment");
                }
            }
            return parts;
        }

        private static boolean isLiteral(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '/' || c == '{' || c == '}' || c == '*' || c == ':' || c == '=' || c <= ' ') {
                    return false;
                }
            }
            return !s.isEmpty();
        }

        private IllegalArgumentException fail(String why) {
            return new IllegalArgumentException("path template '" + text + "': " + why);
        }
    }
}
