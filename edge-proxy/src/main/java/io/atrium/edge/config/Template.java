package io.atrium.edge.config;

import io.netty.util.AsciiString;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A transformation value with request data in it, compiled once at config load. Text is literal except for
 * {@code {variable}}; {@code {{} and {@code }}} write a brace. Variables:
 * <ul>
 *   <li>{@code {header.<name>}}: the first value of a request header (case-insensitive name)</li>
 *   <li>{@code {query.<name>}}: the first value of a query parameter, percent-decoded</li>
 *   <li>{@code {path.<capture>}}: a capture of the route's {@code transform.request.path.pattern}</li>
 *   <li>{@code {route}}, {@code {request_id}}, {@code {consumer}}, {@code {subject}} (the last two from authentication)</li>
 * </ul>
 * A variable without a value (absent header, anonymous request) renders as the empty string.
 */
public final class Template {

    /** What a variable reads. */
    public enum Kind { HEADER, QUERY, PATH, ROUTE, REQUEST_ID, CONSUMER, SUBJECT }

    /** The kinds every template may use; {@link #REQUEST_DATA} adds the request's own headers, query and path. */
    public static final Set<Kind> EXCHANGE_DATA = Set.copyOf(EnumSet.of(Kind.ROUTE, Kind.REQUEST_ID, Kind.CONSUMER, Kind.SUBJECT));
    public static final Set<Kind> REQUEST_DATA = Set.copyOf(EnumSet.allOf(Kind.class));

    /** Where a rendered value goes, which decides how variable values are escaped. */
    public enum Target {
        /** A header value: control characters are dropped (nothing can split a header). */
        HEADER,
        /** A query parameter name or value: the whole value is percent-encoded. */
        QUERY,
        /** A path: literal text is kept, variables are percent-encoded except path captures (still encoded as sent). */
        PATH
    }

    /** The request data a template reads; implemented per exchange by the data path. */
    public interface Input {
        String header(AsciiString name);

        String query(String name);

        String capture(int index);

        String route();

        String requestId();

        String consumer();

        String subject();
    }

    private record Part(Kind kind, String text, AsciiString headerName, int capture) {
    }

    private final String source;
    private final Part[] parts;
    /** The value when the template has no variables (rendered without allocating), else null. */
    private final String constant;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts.toArray(Part[]::new);
        this.constant = parts.stream().allMatch(p -> p.kind() == null)
                ? parts.stream().map(Part::text).reduce("", String::concat) : null;
    }

    /**
     * Compiles {@code text}; {@code allowed} are the kinds this place may use and {@code captures} the names of the path
     * pattern's captures. Throws {@link IllegalArgumentException} with a message fit for the key's path.
     */
    public static Template compile(String text, Set<Kind> allowed, List<String> captures) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
                literal.append(c);
                i += 2;
                continue;
            }
            if (c == '}') {
                throw new IllegalArgumentException("unmatched '}' at position " + i + " in '" + text + "' (write '}}' for a brace)");
            }
            if (c != '{') {
                literal.append(c);
                i++;
                continue;
            }
            int end = text.indexOf('}', i);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed '{' at position " + i + " in '" + text + "' (write '{{' for a brace)");
            }
            if (!literal.isEmpty()) {
                parts.add(new Part(null, literal.toString(), null, -1));
                literal.setLength(0);
            }
            parts.add(variable(text.substring(i + 1, end), allowed, captures));
            i = end + 1;
        }
        if (!literal.isEmpty() || parts.isEmpty()) {
            parts.add(new Part(null, literal.toString(), null, -1));
        }
        return new Template(text, parts);
    }

    private static Part variable(String name, Set<Kind> allowed, List<String> captures) {
        Part part;
        if (name.startsWith("header.") && name.length() > 7) {
            part = new Part(Kind.HEADER, name, AsciiString.cached(name.substring(7)), -1);
        } else if (name.startsWith("query.") && name.length() > 6) {
            part = new Part(Kind.QUERY, name.substring(6), null, -1);
        } else if (name.startsWith("path.") && name.length() > 5) {
            int index = captures.indexOf(name.substring(5));
            if (index < 0) {
                throw new IllegalArgumentException("{" + name + "}: no capture '" + name.substring(5) + "' in transform.request.path.pattern"
                        + (captures.isEmpty() ? " (there is no pattern)" : " (captures: " + String.join(", ", captures) + ")"));
            }
            part = new Part(Kind.PATH, name, null, index);
        } else {
            part = switch (name) {
                case "route" -> new Part(Kind.ROUTE, name, null, -1);
                case "request_id" -> new Part(Kind.REQUEST_ID, name, null, -1);
                case "consumer" -> new Part(Kind.CONSUMER, name, null, -1);
                case "subject" -> new Part(Kind.SUBJECT, name, null, -1);
                default -> throw new IllegalArgumentException("unknown variable {" + name + "} (use header.<name>, query.<name>, path.<capture>, "
                        + "route, request_id, consumer or subject)");
            };
        }
        if (!allowed.contains(part.kind())) {
            throw new IllegalArgumentException("{" + name + "} cannot be used here (allowed: route, request_id, consumer, subject)");
        }
        return part;
    }

    /** Whether the template reads nothing of the request (its value is fixed at load). */
    public boolean isConstant() {
        return constant != null;
    }

    /** The value for {@code input}, escaped for {@code target}. */
    public String render(Input input, Target target) {
        if (constant != null && target != Target.QUERY) {
            return target == Target.HEADER ? headerSafe(constant) : constant;
        }
        StringBuilder out = new StringBuilder(32);
        for (Part part : parts) {
            String value = part.kind() == null ? part.text() : value(part, input);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (target == Target.PATH && part.kind() != null && part.kind() != Kind.PATH) {
                value = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
            }
            out.append(value);
        }
        String rendered = out.toString();
        return switch (target) {
            case HEADER -> headerSafe(rendered);
            case QUERY -> URLEncoder.encode(rendered, StandardCharsets.UTF_8);
            case PATH -> rendered;
        };
    }

    private static String value(Part part, Input input) {
        return switch (part.kind()) {
            case HEADER -> input.header(part.headerName());
            case QUERY -> input.query(part.text());
            case PATH -> input.capture(part.capture());
            case ROUTE -> input.route();
            case REQUEST_ID -> input.requestId();
            case CONSUMER -> input.consumer();
            case SUBJECT -> input.subject();
        };
    }

    /** Drops control characters (a decoded query value may hold CR/LF); a header value must never split. */
    private static String headerSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                StringBuilder out = new StringBuilder(value.length());
                for (int j = 0; j < value.length(); j++) {
                    char d = value.charAt(j);
                    if (!(d < 0x20 && d != '\t' || d == 0x7f)) {
                        out.append(d);
                    }
                }
                return out.toString();
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return source;
    }
}
