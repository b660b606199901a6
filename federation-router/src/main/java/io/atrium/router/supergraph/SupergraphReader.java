package io.atrium.router.supergraph;

import graphql.language.Argument;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValue;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.OperationDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.SelectionSet;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a join-spec (v0.2–v0.5) supergraph SDL into an immutable {@link Supergraph}. */
public final class SupergraphReader {

    private final Document document;
    private final LinkedFeatures features;
    private final String joinType;
    /** The local name of the context spec's {@code @context}, or null when the supergraph does not link it. */
    private final String contextDirective;
    private final String joinField;
    private final String joinImplements;
    private final String joinUnionMember;
    private final String joinEnumValue;
    private final String inaccessible;
    private final Map<String, Subgraph> subgraphs = new LinkedHashMap<>();

    private SupergraphReader(Document document) {
        this.document = document;
        this.features = new LinkedFeatures(linkDirectives(document));
        this.joinType = features.localName(LinkedFeatures.JOIN, "type");
        this.contextDirective = features.localName(LinkedFeatures.CONTEXT, "context");
        this.joinField = features.localName(LinkedFeatures.JOIN, "field");
        this.joinImplements = features.localName(LinkedFeatures.JOIN, "implements");
        this.joinUnionMember = features.localName(LinkedFeatures.JOIN, "unionMember");
        this.joinEnumValue = features.localName(LinkedFeatures.JOIN, "enumValue");
        String name = features.localName(LinkedFeatures.INACCESSIBLE, "inaccessible");
        this.inaccessible = name != null ? name : "inaccessible";
    }

    /** Reads and validates a supergraph; throws {@link SupergraphException} naming the problem. */
    public static Supergraph read(String sdl) {
        Document document;
        try {
            document = Parser.parse(ParserEnvironment.newParserEnvironment()
                    .document(sdl)
                    .parserOptions(ParserOptions.getDefaultSdlParserOptions())
                    .build());
        } catch (InvalidSyntaxException e) {
            throw new SupergraphException("the supergraph SDL does not parse: " + e.getMessage(), e);
        }
        return new SupergraphReader(document).build(sdl);
    }

    /** Parses a field set such as {@code "id organization { id }"} into a selection set. */
    public static SelectionSet parseFieldSet(String fields) {
        Document doc = Parser.parse("{" + fields + "}");
        return ((OperationDefinition) doc.getDefinitions().getFirst()).getSelectionSet();
    }

    private static List<Directive> linkDirectives(Document document) {
        List<Directive> links = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof SchemaDefinition schema) {
                links.addAll(schema.getDirectives("link"));
            }
        }
        return links;
    }

    private Supergraph build(String sdl) {
        readGraphs();
        Map<String, TypeMeta> types = new LinkedHashMap<>();
        Map<String, List<String>> implementors = new LinkedHashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof ObjectTypeDefinition object && !features.isFeatureElement(object.getName())) {
                for (Type<?> iface : object.getImplements()) {
                    implementors.computeIfAbsent(((TypeName) iface).getName(), k -> new ArrayList<>()).add(object.getName());
                }
            }
        }
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof TypeDefinition<?> type && !features.isFeatureElement(type.getName())
                    && !(definition instanceof graphql.language.DirectiveDefinition)) {
                TypeMeta meta = typeMeta(type, implementors);
                if (meta != null) {
                    types.put(meta.name(), meta);
                }
            }
        }
        String query = "Query";
        String mutation = types.containsKey("Mutation") ? "Mutation" : null;
        String subscription = types.containsKey("Subscription") ? "Subscription" : null;
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof SchemaDefinition schema) {
                mutation = null;
                subscription = null;
                for (OperationTypeDefinition op : schema.getOperationTypeDefinitions()) {
                    String name = op.getTypeName().getName();
                    switch (op.getName()) {
                        case "query" -> query = name;
                        case "mutation" -> mutation = name;
                        case "subscription" -> subscription = name;
                        default -> { }
                    }
                }
            }
        }
        if (!types.containsKey(query)) {
            throw new SupergraphException("the supergraph has no query root type '" + query + "'");
        }
        var apiSchema = new ApiSchemaBuilder(document, features, inaccessible).build();
        java.util.Set<String> fieldNames = new java.util.HashSet<>();
        for (TypeMeta type : types.values()) {
            if (type.kind().isComposite()) {
                fieldNames.addAll(type.fields().keySet());
            }
        }
        return new Supergraph(digest(sdl), sdl, subgraphs, types, query, mutation, subscription, apiSchema, fieldNames);
    }

    private void readGraphs() {
        String graphEnum = features.localName(LinkedFeatures.JOIN, "Graph");
        String graphDirective = features.localName(LinkedFeatures.JOIN, "graph");
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof EnumTypeDefinition e && e.getName().equals(graphEnum)) {
                for (EnumValueDefinition value : e.getEnumValueDefinitions()) {
                    Directive graph = first(value, graphDirective);
                    if (graph == null) {
                        throw new SupergraphException("join__Graph value " + value.getName() + " has no @join__graph");
                    }
                    String name = LinkedFeatures.stringArg(graph, "name");
                    String url = LinkedFeatures.stringArg(graph, "url");
                    subgraphs.put(value.getName(), new Subgraph(name, value.getName(), url == null ? "" : url));
                }
            }
        }
        if (subgraphs.isEmpty()) {
            throw new SupergraphException("the supergraph declares no subgraphs (enum " + graphEnum + " is missing or empty)");
        }
    }

    private TypeMeta typeMeta(TypeDefinition<?> type, Map<String, List<String>> implementors) {
        TypeKind kind = switch (type) {
            case ObjectTypeDefinition ignored -> TypeKind.OBJECT;
            case InterfaceTypeDefinition ignored -> TypeKind.INTERFACE;
            case UnionTypeDefinition ignored -> TypeKind.UNION;
            case EnumTypeDefinition ignored -> TypeKind.ENUM;
            case InputObjectTypeDefinition ignored -> TypeKind.INPUT_OBJECT;
            case ScalarTypeDefinition ignored -> TypeKind.SCALAR;
            default -> null;
        };
        if (kind == null) {
            return null;
        }
        Map<String, TypeInGraph> graphs = new LinkedHashMap<>();
        for (Directive directive : type.getDirectives(joinType)) {
            String graph = enumArg(directive, "graph");
            requireGraph(graph, type.getName());
            String key = LinkedFeatures.stringArg(directive, "key");
            TypeInGraph previous = graphs.get(graph);
            List<EntityKey> keys = new ArrayList<>(previous == null ? List.of() : previous.keys());
            if (key != null) {
                keys.add(new EntityKey(graph, key, parseFieldSet(key), boolArg(directive, "resolvable", true)));
            }
            boolean interfaceObject = boolArg(directive, "isInterfaceObject", false)
                    || (previous != null && previous.interfaceObject());
            boolean extension = boolArg(directive, "extension", false);
            graphs.put(graph, new TypeInGraph(graph, keys, interfaceObject, extension));
        }
        Set<String> typeGraphs = graphs.keySet();
        Map<String, FieldMeta> fields = new LinkedHashMap<>();
        List<String> interfaces = new ArrayList<>();
        Map<String, Set<String>> implementsIn = new LinkedHashMap<>();
        Map<String, Set<String>> membersIn = new LinkedHashMap<>();
        List<String> members = new ArrayList<>();
        Map<String, Set<String>> enumValuesIn = new LinkedHashMap<>();
        switch (type) {
            case ObjectTypeDefinition object -> {
                object.getFieldDefinitions().forEach(f -> fields.put(f.getName(), fieldMeta(f, typeGraphs)));
                object.getImplements().forEach(t -> interfaces.add(((TypeName) t).getName()));
                readImplements(object, interfaces, typeGraphs, implementsIn);
            }
            case InterfaceTypeDefinition iface -> {
                iface.getFieldDefinitions().forEach(f -> fields.put(f.getName(), fieldMeta(f, typeGraphs)));
                iface.getImplements().forEach(t -> interfaces.add(((TypeName) t).getName()));
                readImplements(iface, interfaces, typeGraphs, implementsIn);
                members.addAll(implementors.getOrDefault(iface.getName(), List.of()));
            }
            case UnionTypeDefinition union -> {
                union.getMemberTypes().forEach(t -> members.add(((TypeName) t).getName()));
                List<Directive> memberDirectives = union.getDirectives(joinUnionMember);
                if (memberDirectives.isEmpty()) {
                    for (String graph : typeGraphs) {
                        membersIn.put(graph, new LinkedHashSet<>(members));
                    }
                } else {
                    for (Directive d : memberDirectives) {
                        membersIn.computeIfAbsent(enumArg(d, "graph"), k -> new LinkedHashSet<>())
                                .add(LinkedFeatures.stringArg(d, "member"));
                    }
                }
            }
            case EnumTypeDefinition e -> {
                for (EnumValueDefinition value : e.getEnumValueDefinitions()) {
                    List<Directive> in = value.getDirectives(joinEnumValue);
                    Set<String> valueGraphs = new LinkedHashSet<>();
                    in.forEach(d -> valueGraphs.add(enumArg(d, "graph")));
                    enumValuesIn.put(value.getName(), in.isEmpty() ? typeGraphs : valueGraphs);
                }
            }
            case InputObjectTypeDefinition input -> {
                for (InputValueDefinition f : input.getInputValueDefinitions()) {
                    fields.put(f.getName(), inputFieldMeta(f, typeGraphs));
                }
            }
            default -> { }
        }
        Set<String> contexts = new LinkedHashSet<>();
        if (contextDirective != null) {
            for (Directive d : type.getDirectives(contextDirective)) {
                String name = LinkedFeatures.stringArg(d, "name");
                if (name != null) {
                    contexts.add(name);
                }
            }
        }
        return new TypeMeta(type.getName(), kind, graphs, fields, interfaces, implementsIn, membersIn, members,
                enumValuesIn, isInaccessible(type), contexts);
    }

    private void readImplements(DirectivesContainer<?> type, List<String> interfaces, Set<String> typeGraphs,
                                Map<String, Set<String>> implementsIn) {
        List<Directive> directives = type.getDirectives(joinImplements);
        if (directives.isEmpty()) {
            for (String graph : typeGraphs) {
                implementsIn.put(graph, new LinkedHashSet<>(interfaces));
            }
            return;
        }
        for (Directive d : directives) {
            implementsIn.computeIfAbsent(enumArg(d, "graph"), k -> new LinkedHashSet<>())
                    .add(LinkedFeatures.stringArg(d, "interface"));
        }
    }

    /**
     * The named type in {@code type:} of a {@code @join__field} when it is not the supergraph field's (composition
     * widens a field to a common supertype), or null.
     */
    private static String namedTypeInGraph(Directive d, FieldDefinition field) {
        String type = LinkedFeatures.stringArg(d, "type");
        if (type == null) {
            return null;
        }
        String named = type.replaceAll("[\\[\\]!\\s]", "");
        return named.equals(namedType(field.getType())) ? null : named;
    }

    /** {@code contextArguments: [{context, name, type, selection}]} of a {@code @join__field} (join v0.5). */
    private List<FieldInGraph.ContextArgument> contextArguments(Directive d, String fieldName) {
        graphql.language.Argument argument = d.getArgument("contextArguments");
        if (argument == null || !(argument.getValue() instanceof graphql.language.ArrayValue array)) {
            return List.of();
        }
        List<FieldInGraph.ContextArgument> result = new ArrayList<>();
        for (graphql.language.Value<?> value : array.getValues()) {
            if (!(value instanceof graphql.language.ObjectValue object)) {
                throw new SupergraphException("field " + fieldName + ": contextArguments must be objects");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (graphql.language.ObjectField f : object.getObjectFields()) {
                if (f.getValue() instanceof graphql.language.StringValue s) {
                    fields.put(f.getName(), s.getValue());
                }
            }
            for (String key : List.of("name", "type", "context", "selection")) {
                if (fields.get(key) == null) {
                    throw new SupergraphException("field " + fieldName + ": a context argument has no '" + key + "'");
                }
            }
            String selection = fields.get("selection").trim();
            if (selection.startsWith("{") && selection.endsWith("}")) {
                selection = selection.substring(1, selection.length() - 1);
            }
            result.add(new FieldInGraph.ContextArgument(fields.get("name"), fields.get("type"), fields.get("context"),
                    parseFieldSet(selection)));
        }
        return result;
    }

    private FieldMeta fieldMeta(FieldDefinition field, Set<String> typeGraphs) {
        Map<String, FieldInGraph> graphs = new LinkedHashMap<>();
        Map<String, String> labelOverriddenIn = new LinkedHashMap<>();
        List<Directive> joins = field.getDirectives(joinField);
        boolean anyGraph = false;
        for (Directive d : joins) {
            String graph = enumArg(d, "graph");
            if (graph == null) {
                continue;
            }
            anyGraph = true;
            requireGraph(graph, field.getName());
            String requires = LinkedFeatures.stringArg(d, "requires");
            String provides = LinkedFeatures.stringArg(d, "provides");
            String overrideFrom = LinkedFeatures.stringArg(d, "override");
            String label = LinkedFeatures.stringArg(d, "overrideLabel");
            graphs.put(graph, new FieldInGraph(graph,
                    boolArg(d, "external", false),
                    requires == null ? null : parseFieldSet(requires),
                    requires,
                    provides == null ? null : parseFieldSet(provides),
                    overrideFrom,
                    label,
                    boolArg(d, "usedOverridden", false),
                    contextArguments(d, field.getName()),
                    namedTypeInGraph(d, field),
                    LinkedFeatures.stringArg(d, "type")));
            if (overrideFrom != null && label != null) {
                for (Subgraph s : subgraphs.values()) {
                    if (s.name().equals(overrideFrom)) {
                        labelOverriddenIn.put(s.graphEnum(), label);
                    }
                }
            }
        }
        // No @join__field at all: the field is in every subgraph of its type. A bare @join__field (no graph) marks
        // a field no subgraph resolves on this type (e.g. one added through an @interfaceObject).
        if (!anyGraph && joins.isEmpty()) {
            for (String graph : typeGraphs) {
                graphs.put(graph, new FieldInGraph(graph, false, null, null, null, null, null, false));
            }
        }
        Type<?> type = field.getType();
        return new FieldMeta(field.getName(), type, namedType(type), isList(type), graphs, labelOverriddenIn,
                isInaccessible(field));
    }

    private FieldMeta inputFieldMeta(InputValueDefinition field, Set<String> typeGraphs) {
        Map<String, FieldInGraph> graphs = new LinkedHashMap<>();
        for (Directive d : field.getDirectives(joinField)) {
            String graph = enumArg(d, "graph");
            if (graph != null) {
                graphs.put(graph, new FieldInGraph(graph, false, null, null, null, null, null, false));
            }
        }
        if (graphs.isEmpty()) {
            typeGraphs.forEach(g -> graphs.put(g, new FieldInGraph(g, false, null, null, null, null, null, false)));
        }
        Type<?> type = field.getType();
        return new FieldMeta(field.getName(), type, namedType(type), isList(type), graphs, Map.of(),
                isInaccessible(field));
    }

    private void requireGraph(String graph, String where) {
        if (graph == null || !subgraphs.containsKey(graph)) {
            throw new SupergraphException("'" + where + "' refers to unknown subgraph " + graph);
        }
    }

    private boolean isInaccessible(DirectivesContainer<?> container) {
        return !container.getDirectives(inaccessible).isEmpty();
    }

    private static Directive first(DirectivesContainer<?> container, String name) {
        List<Directive> directives = container.getDirectives(name);
        return directives.isEmpty() ? null : directives.getFirst();
    }

    private static String enumArg(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        if (argument != null && argument.getValue() instanceof EnumValue e) {
            return e.getName();
        }
        return null;
    }

    private static boolean boolArg(Directive directive, String name, boolean fallback) {
        Argument argument = directive.getArgument(name);
        if (argument != null && argument.getValue() instanceof BooleanValue b) {
            return b.isValue();
        }
        return fallback;
    }

    public static String namedType(Type<?> type) {
        return switch (type) {
            case NonNullType nn -> namedType(nn.getType());
            case ListType list -> namedType(list.getType());
            case TypeName name -> name.getName();
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    private static boolean isList(Type<?> type) {
        return switch (type) {
            case NonNullType nn -> isList(nn.getType());
            case ListType ignored -> true;
            default -> false;
        };
    }

    private static String digest(String sdl) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sdl.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
