package io.atrium.router.connector.rest;

import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumValue;
import graphql.language.FieldDefinition;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import io.atrium.router.connector.rest.ConnectSpec.Connect;
import io.atrium.router.connector.rest.ConnectSpec.Errors;
import io.atrium.router.connector.rest.ConnectSpec.Header;
import io.atrium.router.connector.rest.ConnectSpec.Method;
import io.atrium.router.connector.rest.ConnectSpec.Source;
import io.atrium.router.connector.rest.selection.JsonSelection;
import io.atrium.router.connector.rest.selection.SelectionSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the connect spec's directives of one subgraph in a supergraph: {@code @join__directive(graphs: [G], name:
 * "link", args: {url: ".../connect/v0.x"})} marks the subgraph as a connector subgraph; {@code name: "source"} on the
 * schema and {@code name: "connect"} on fields and types (their local names, after {@code @link(import:)} renames)
 * are its sources and connectors. Every selection and template is compiled here, once per supergraph.
 */
final class ConnectDirectives {

    private static final Pattern CONNECT_URL = Pattern.compile("https://specs\\.apollo\\.dev/connect/v(\\d+)\\.(\\d+)");

    /** A connector subgraph's directives. */
    record Found(String specVersion, Map<String, Source> sources, List<Connect> connects) {
    }

    private ConnectDirectives() {
    }

    /** Parses the supergraph SDL once; {@link #find} is then asked per subgraph. */
    static Document parse(String sdl) {
        return Parser.parse(ParserEnvironment.newParserEnvironment().document(sdl)
                .parserOptions(ParserOptions.getDefaultSdlParserOptions()).build());
    }

    /**
     * @return the directives of {@code graph}, or null when it does not link the connect spec
     * @throws IllegalArgumentException naming the coordinate of a directive that does not compile
     */
    static Found find(Document document, String graph, String subgraphName) {
        String version = null;
        String connectName = "connect__connect";
        String sourceName = "connect__source";
        List<Map<String, Object>> sourceArgs = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof SchemaDefinition schema)) {
                continue;
            }
            for (Map<String, Object> args : joinDirectives(schema, graph, "link")) {
                Matcher matcher = args.get("url") instanceof String url ? CONNECT_URL.matcher(url) : null;
                if (matcher == null || !matcher.lookingAt()) {
                    continue;
                }
                version = matcher.group(1) + "." + matcher.group(2);
                String prefix = args.get("as") instanceof String as ? as : "connect";
                connectName = prefix + "__connect";
                sourceName = prefix + "__source";
                if (args.get("import") instanceof List<?> imports) {
                    for (Object item : imports) {
                        String name = item instanceof Map<?, ?> m ? (String) m.get("name") : (String) item;
                        String local = item instanceof Map<?, ?> m && m.get("as") instanceof String as ? as : name;
                        if ("@connect".equals(name)) {
                            connectName = local.substring(1);
                        } else if ("@source".equals(name)) {
                            sourceName = local.substring(1);
                        }
                    }
                }
            }
        }
        if (version == null) {
            return null;
        }
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof SchemaDefinition schema) {
                sourceArgs.addAll(joinDirectives(schema, graph, sourceName));
            }
        }
        Map<String, Source> sources = new LinkedHashMap<>();
        for (Map<String, Object> args : sourceArgs) {
            Source source = source(args, subgraphName);
            sources.put(source.name(), source);
        }
        List<Connect> connects = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof ObjectTypeDefinition type) || definition instanceof ObjectTypeExtensionDefinition) {
                continue;
            }
            int index = 0;
            for (Map<String, Object> args : joinDirectives(type, graph, connectName)) {
                connects.add(connect(args, subgraphName + ":" + type.getName() + "@connect[" + index++ + "]",
                        type.getName(), null));
            }
            for (FieldDefinition field : type.getFieldDefinitions()) {
                int fieldIndex = 0;
                for (Map<String, Object> args : joinDirectives(field, graph, connectName)) {
                    connects.add(connect(args, subgraphName + ":" + type.getName() + "." + field.getName()
                            + "@connect[" + fieldIndex++ + "]", type.getName(), field.getName()));
                }
            }
        }
        return new Found(version, sources, connects);
    }

    /** The {@code args} of each {@code @join__directive(graphs: [… graph …], name: name)} on the element. */
    private static List<Map<String, Object>> joinDirectives(DirectivesContainer<?> element, String graph, String name) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Directive directive : element.getDirectives("join__directive")) {
            if (!name.equals(value(directive.getArgument("name").getValue()))) {
                continue;
            }
            var graphs = directive.getArgument("graphs");
            if (graphs != null && value(graphs.getValue()) instanceof List<?> list && !list.contains(graph)) {
                continue;
            }
            var args = directive.getArgument("args");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = args == null ? Map.of() : (Map<String, Object>) value(args.getValue());
            found.add(map);
        }
        return found;
    }

    private static Source source(Map<String, Object> args, String subgraph) {
        String name = (String) args.get("name");
        String at = subgraph + ":@source(name: \"" + name + "\")";
        Map<String, Object> http = object(args.get("http"));
        if (!(http.get("baseURL") instanceof String baseUrl)) {
            throw new IllegalArgumentException(at + " has no http.baseURL");
        }
        return new Source(name, baseUrl, headers(http.get("headers"), at), selection(http.get("path"), at),
                selection(http.get("queryParams"), at), errors(args.get("errors"), at), selection(args.get("isSuccess"), at));
    }

    private static Connect connect(Map<String, Object> args, String coordinate, String type, String field) {
        Map<String, Object> http = object(args.get("http"));
        Method method = null;
        String url = null;
        for (Method candidate : Method.values()) {
            if (http.get(candidate.name()) instanceof String template) {
                if (method != null) {
                    throw new IllegalArgumentException(coordinate + ": http has more than one method");
                }
                method = candidate;
                url = template;
            }
        }
        if (method == null) {
            throw new IllegalArgumentException(coordinate + ": http needs one of GET, POST, PUT, PATCH, DELETE");
        }
        if (!(args.get("selection") instanceof String selection)) {
            throw new IllegalArgumentException(coordinate + " has no selection");
        }
        int maxSize = object(args.get("batch")).get("maxSize") instanceof Number n ? n.intValue() : 0;
        try {
            return new Connect(coordinate, type, field, (String) args.get("source"), method, UrlTemplate.parse(url),
                    selection(http.get("body"), coordinate), headers(http.get("headers"), coordinate),
                    selection(http.get("path"), coordinate), selection(http.get("queryParams"), coordinate),
                    JsonSelection.parse(selection), Boolean.TRUE.equals(args.get("entity")), maxSize,
                    errors(args.get("errors"), coordinate), selection(args.get("isSuccess"), coordinate));
        } catch (SelectionSyntaxException e) {
            throw new IllegalArgumentException(coordinate + ": " + e.getMessage(), e);
        }
    }

    private static List<Header> headers(Object value, String at) {
        List<Header> headers = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> header = object(item);
                if (!(header.get("name") instanceof String name)) {
                    throw new IllegalArgumentException(at + ": a header mapping needs a name");
                }
                String from = (String) header.get("from");
                UrlTemplate template = header.get("value") instanceof String v ? UrlTemplate.parse(v) : null;
                if ((from == null) == (template == null)) {
                    throw new IllegalArgumentException(at + ": header " + name + " needs exactly one of from and value");
                }
                headers.add(new Header(name.toLowerCase(java.util.Locale.ROOT), from == null ? null
                        : from.toLowerCase(java.util.Locale.ROOT), template));
            }
        }
        return headers;
    }

    private static Errors errors(Object value, String at) {
        Map<String, Object> errors = object(value);
        if (errors.isEmpty()) {
            return null;
        }
        return new Errors(selection(errors.get("message"), at), selection(errors.get("extensions"), at));
    }

    private static JsonSelection selection(Object value, String at) {
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return JsonSelection.parse(text);
        } catch (SelectionSyntaxException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Object value(Value<?> value) {
        return switch (value) {
            case StringValue s -> s.getValue();
            case IntValue i -> i.getValue().intValue();
            case FloatValue f -> f.getValue().doubleValue();
            case BooleanValue b -> b.isValue();
            case EnumValue e -> e.getName();
            case NullValue ignored -> null;
            case ArrayValue array -> array.getValues().stream().map(ConnectDirectives::value).toList();
            case graphql.language.ObjectValue object -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (ObjectField field : object.getObjectFields()) {
                    map.put(field.getName(), value(field.getValue()));
                }
                yield map;
            }
            default -> null;
        };
    }
}
