package io.atrium.router.compose.internal;

import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Description;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectField;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectValue;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.SourceLocation;
import graphql.language.StringValue;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.language.Value;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.ErrorCode;
import io.atrium.router.compose.internal.SubgraphModel.ArgDef;
import io.atrium.router.compose.internal.SubgraphModel.EnumValueDef;
import io.atrium.router.compose.internal.SubgraphModel.FieldDef;
import io.atrium.router.compose.internal.SubgraphModel.Kind;
import io.atrium.router.compose.internal.SubgraphModel.TypeDef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SDL → {@link SubgraphModel}: {@code @link} resolution, definitions and extensions folded, machinery dropped. */
public final class SubgraphParser {
    static final String FEDERATION_SPEC = "https://specs.apollo.dev/federation/";
    private static final Pattern SPEC_URL = Pattern.compile("^(.*)/([A-Za-z_][\\w-]*)/v(\\d+)\\.(\\d+)/?$");
    /** Types and fields federation adds to a subgraph; never part of the supergraph. */
    private static final Set<String> MACHINERY_TYPES = Set.of("_Service", "_Any", "_Entity", "FieldSet", "_FieldSet",
            "link__Import", "link__Purpose", "link__FieldSet", "federation__FieldSet", "federation__Scope",
            "federation__Policy", "federation__ContextFieldValue", "ContextFieldValue", "Scope", "Policy");
    private static final Set<String> BUILT_IN_DIRECTIVES = Set.of("deprecated", "specifiedBy", "include", "skip",
            "oneOf", "defer", "stream", "link");
    public static final int HIGHEST_FED_MINOR = 12;

    private final String name;
    private final String url;
    private final String graphEnum;
    private final List<CompositionError> errors;
    private FederationNames names;
    /** Directive name → URL of the non-federation {@code @link} that brings it (for {@code @composeDirective}). */
    private final Map<String, String> linkOfDirective = new HashMap<>();
    private String linkPrefix = "federation";
    /** The {@code @link} to the connect spec, or null. */
    private Directive connectLink;

    private SubgraphParser(String name, String url, String graphEnum, List<CompositionError> errors) {
        this.name = name;
        this.url = url;
        this.graphEnum = graphEnum;
        this.errors = errors;
    }

    /** Parses one subgraph; returns null (with errors added) when it cannot be read at all. */
    public static SubgraphModel parse(String name, String url, String graphEnum, String sdl,
                                      List<CompositionError> errors) {
        return new SubgraphParser(name, url, graphEnum, errors).parse(sdl);
    }

    private SubgraphModel parse(String sdl) {
        Document document;
        try {
            document = Parser.parse(ParserEnvironment.newParserEnvironment().document(sdl)
                    .parserOptions(ParserOptions.getDefaultSdlParserOptions()).build());
        } catch (InvalidSyntaxException e) {
            SourceLocation at = e.getLocation();
            errors.add(new CompositionError(ErrorCode.INVALID_GRAPHQL, "[" + name + "] " + e.getMessage(), name,
                    at == null ? 0 : at.getLine(), at == null ? 0 : at.getColumn()));
            return null;
        }
        int minor = readLinks(document);
        if (minor == Integer.MIN_VALUE) {
            return null;
        }
        SubgraphModel model = new SubgraphModel(name, url, graphEnum, minor < 0, Math.max(minor, 0), names);
        for (Definition<?> definition : document.getDefinitions()) {
            switch (definition) {
                case SchemaDefinition schema -> readSchema(model, schema);
                case DirectiveDefinition d -> {
                    String canonical = names.canonical(d.getName());
                    if (!BUILT_IN_DIRECTIVES.contains(d.getName())
                            && (canonical == null || !FederationNames.DIRECTIVES.containsKey(canonical))) {
                        model.directiveDefinitions.put(d.getName(), d);
                    }
                }
                case TypeDefinition<?> type -> {
                    if (!isMachinery(type.getName())) {
                        readType(model, type);
                    }
                }
                default -> { }
            }
        }
        for (String root : List.of("Query", "Mutation", "Subscription")) {
            if (!model.roots.containsKey(root) && model.types.containsKey(root)) {
                model.roots.put(root, root);
            }
        }
        checkRootNames(model);
        renameRoots(model);
        model.linkOfDirective.putAll(linkOfDirective);
        model.connectLink = connectLink;
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof SchemaDefinition schema && model.directiveDefinitions.containsKey(
                    ConnectDirectives.GRPC_SOURCE) && schema.hasDirective(ConnectDirectives.GRPC_SOURCE)) {
                model.grpcSource = schema.getDirectives(ConnectDirectives.GRPC_SOURCE).getFirst();
            }
            if (connectLink != null && definition instanceof SchemaDefinition schema) {
                for (Directive d : schema.getDirectives()) {
                    if (ConnectDirectives.isConnect(model, d)) {
                        model.connectSchemaDirectives.add(d);
                    }
                }
            }
        }
        TypeDef query = model.types.get("Query");
        if (query != null) {
            query.fields.remove("_service");
            query.fields.remove("_entities");
        }
        return model;
    }

    private boolean isMachinery(String typeName) {
        return MACHINERY_TYPES.contains(typeName) || typeName.startsWith(linkPrefix + "__")
                || typeName.startsWith("link__");
    }

    /** Federation minor version (2.x), -1 for Federation 1, MIN_VALUE when the link is unusable. */
    private int readLinks(Document document) {
        int minor = -1;
        Map<String, String> imports = new HashMap<>();
        Map<String, String> others = new HashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof SchemaDefinition schema)) {
                continue;
            }
            for (Directive link : schema.getDirectives("link")) {
                String linkUrl = stringArg(link, "url");
                Matcher m = linkUrl == null ? null : SPEC_URL.matcher(linkUrl);
                if (m == null || !m.matches()) {
                    errors.add(error(ErrorCode.INVALID_LINK_DIRECTIVE_USAGE, "invalid @link url " + linkUrl, link));
                    continue;
                }
                String specName = m.group(2);
                String as = stringArg(link, "as");
                Map<String, String> linkImports = imports(link);
                if (linkUrl.startsWith(FEDERATION_SPEC)) {
                    minor = Integer.parseInt(m.group(4));
                    if (!m.group(3).equals("2") || minor > HIGHEST_FED_MINOR) {
                        errors.add(error(ErrorCode.UNKNOWN_FEDERATION_LINK_VERSION, "[" + name
                                + "] Invalid version v" + m.group(3) + "." + m.group(4)
                                + " for the federation feature in @link direction on schema", link));
                        return Integer.MIN_VALUE;
                    }
                    for (String imported : importedDirectives(link)) {
                        Integer since = FederationNames.DIRECTIVES.get(imported);
                        if (since == null || since > minor) {
                            errors.add(error(ErrorCode.INVALID_LINK_DIRECTIVE_USAGE, "[" + name
                                    + "] Cannot import unknown element \"@" + imported + "\".", link));
                        }
                    }
                    imports.putAll(linkImports);
                    if (as != null) {
                        linkPrefix = as;
                    }
                } else {
                    if (linkUrl.startsWith(ConnectDirectives.SPEC)) {
                        connectLink = link;
                    }
                    String prefix = as != null ? as : specName;
                    others.put(prefix, specName);
                    linkImports.forEach((canonical, local) -> others.put(local, canonical));
                    linkImports.forEach((canonical, local) -> linkOfDirective.put(local, linkUrl));
                    linkOfDirective.putIfAbsent(prefix, linkUrl);
                }
            }
        }
        names = minor < 0 ? FederationNames.fed1() : FederationNames.fed2(linkPrefix, minor, imports, others);
        return minor;
    }

    /** The directive names (those starting with '@', without it) a {@code @link} imports. */
    private static List<String> importedDirectives(Directive link) {
        List<String> names = new java.util.ArrayList<>();
        var arg = link.getArgument("import");
        if (arg == null || !(arg.getValue() instanceof ArrayValue array)) {
            return names;
        }
        for (Value<?> value : array.getValues()) {
            String imported = value instanceof StringValue s ? s.getValue() : null;
            if (value instanceof ObjectValue object) {
                for (ObjectField field : object.getObjectFields()) {
                    if (field.getName().equals("name") && field.getValue() instanceof StringValue s) {
                        imported = s.getValue();
                    }
                }
            }
            if (imported != null && imported.startsWith("@")) {
                names.add(imported.substring(1));
            }
        }
        return names;
    }

    /** {@code import: ["@key", {name: "@shareable", as: "@share"}]} → canonical → local, without '@'. */
    private static Map<String, String> imports(Directive link) {
        Map<String, String> result = new HashMap<>();
        var arg = link.getArgument("import");
        if (arg == null || !(arg.getValue() instanceof ArrayValue array)) {
            return result;
        }
        for (Value<?> value : array.getValues()) {
            if (value instanceof StringValue s) {
                result.put(strip(s.getValue()), strip(s.getValue()));
            } else if (value instanceof ObjectValue object) {
                String importName = null;
                String importAs = null;
                for (ObjectField field : object.getObjectFields()) {
                    if (field.getValue() instanceof StringValue s) {
                        if (field.getName().equals("name")) {
                            importName = strip(s.getValue());
                        } else if (field.getName().equals("as")) {
                            importAs = strip(s.getValue());
                        }
                    }
                }
                if (importName != null) {
                    result.put(importName, importAs != null ? importAs : importName);
                }
            }
        }
        return result;
    }

    private static String strip(String name) {
        return name.startsWith("@") ? name.substring(1) : name;
    }

    private void readSchema(SubgraphModel model, SchemaDefinition schema) {
        for (OperationTypeDefinition op : schema.getOperationTypeDefinitions()) {
            String root = switch (op.getName()) {
                case "query" -> "Query";
                case "mutation" -> "Mutation";
                default -> "Subscription";
            };
            model.roots.put(root, op.getTypeName().getName());
        }
        for (Directive d : schema.getDirectives()) {
            if ("composeDirective".equals(names.canonical(d.getName()))) {
                String directive = stringArg(d, "name");
                if (directive != null) {
                    model.composeDirectives.add(strip(directive));
                }
            }
        }
    }

    /** A root under another name while a type has the default root name: federation cannot tell them apart. */
    private void checkRootNames(SubgraphModel model) {
        for (Map.Entry<String, String> root : model.roots.entrySet()) {
            if (!root.getKey().equals(root.getValue()) && model.types.containsKey(root.getKey())) {
                String code = switch (root.getKey()) {
                    case "Query" -> ErrorCode.ROOT_QUERY_USED;
                    case "Mutation" -> ErrorCode.ROOT_MUTATION_USED;
                    default -> ErrorCode.ROOT_SUBSCRIPTION_USED;
                };
                TypeDef type = model.types.get(root.getKey());
                errors.add(new CompositionError(code, "[" + name + "] The schema has a type named \"" + root.getKey()
                        + "\" but it is not set as the " + root.getKey().toLowerCase(java.util.Locale.ROOT)
                        + " root type (\"" + root.getValue() + "\" is instead): this is not supported by federation."
                        + " If a root type does not use its default name, there should be no other type with that"
                        + " default name.", name, type.location == null ? 0 : type.location.getLine(),
                        type.location == null ? 0 : type.location.getColumn()));
            }
        }
    }

    /** Root types under other names (e.g. {@code schema { query: RootQuery }}) become Query/Mutation/Subscription. */
    private static void renameRoots(SubgraphModel model) {
        for (Map.Entry<String, String> root : model.roots.entrySet()) {
            if (root.getKey().equals(root.getValue())) {
                continue;
            }
            TypeDef type = model.types.remove(root.getValue());
            if (type != null) {
                TypeDef renamed = new TypeDef(root.getKey(), type.kind);
                renamed.fields.putAll(type.fields);
                renamed.location = type.location;
                renamed.description = type.description;
                renamed.extension = type.extension;
                model.types.put(root.getKey(), renamed);
            }
        }
    }

    private void readType(SubgraphModel model, TypeDefinition<?> definition) {
        Kind kind = switch (definition) {
            case ObjectTypeDefinition ignored -> Kind.OBJECT;
            case InterfaceTypeDefinition ignored -> Kind.INTERFACE;
            case UnionTypeDefinition ignored -> Kind.UNION;
            case EnumTypeDefinition ignored -> Kind.ENUM;
            case InputObjectTypeDefinition ignored -> Kind.INPUT_OBJECT;
            case ScalarTypeDefinition ignored -> Kind.SCALAR;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        TypeDef existing = model.types.get(definition.getName());
        if (existing == null) {
            existing = new TypeDef(definition.getName(), kind);
            existing.location = definition.getSourceLocation();
            model.types.put(existing.name, existing);
        } else if (existing.kind != kind) {
            errors.add(error(ErrorCode.INVALID_GRAPHQL, "[" + name + "] Type \"" + existing.name
                    + "\" is defined with different kinds in the same subgraph", definition));
            return;
        }
        TypeDef type = existing;
        if (!isExtension(definition)) {
            type.extension = false;
            type.location = definition.getSourceLocation();
        }
        type.description = first(type.description, description(definitionDescription(definition)));
        readTypeDirectives(type, definition);
        int fieldsBefore = type.fields.size();
        switch (definition) {
            case ObjectTypeDefinition o -> {
                o.getImplements().forEach(t -> addOnce(type.interfaces, ((TypeName) t).getName()));
                o.getFieldDefinitions().forEach(f -> readField(type, f));
            }
            case InterfaceTypeDefinition i -> {
                i.getImplements().forEach(t -> addOnce(type.interfaces, ((TypeName) t).getName()));
                i.getFieldDefinitions().forEach(f -> readField(type, f));
            }
            case UnionTypeDefinition u -> u.getMemberTypes().forEach(t -> addOnce(type.members, ((TypeName) t).getName()));
            case EnumTypeDefinition e -> e.getEnumValueDefinitions().forEach(v -> readEnumValue(type, v));
            case InputObjectTypeDefinition in -> in.getInputValueDefinitions().forEach(v -> readInputField(type, v));
            default -> { }
        }
        if (hasFederationDirective(definition, "external")) {
            // @external on a type marks the fields of that definition (not of the type's other definitions)
            type.fields.values().stream().skip(fieldsBefore).forEach(f -> f.external = true);
        }
    }

    private boolean hasFederationDirective(DirectivesContainer<?> container, String canonical) {
        for (Directive d : container.getDirectives()) {
            if (canonical.equals(names.canonical(d.getName()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isExtension(TypeDefinition<?> definition) {
        return definition.getClass().getSimpleName().endsWith("ExtensionDefinition");
    }

    private static Description definitionDescription(TypeDefinition<?> definition) {
        return switch (definition) {
            case ObjectTypeDefinition o -> o.getDescription();
            case InterfaceTypeDefinition i -> i.getDescription();
            case UnionTypeDefinition u -> u.getDescription();
            case EnumTypeDefinition e -> e.getDescription();
            case InputObjectTypeDefinition in -> in.getDescription();
            case ScalarTypeDefinition s -> s.getDescription();
            default -> null;
        };
    }

    private void readTypeDirectives(TypeDef type, DirectivesContainer<?> definition) {
        for (Directive d : definition.getDirectives()) {
            String canonical = names.canonical(d.getName());
            if (canonical == null) {
                type.applied.add(new SubgraphModel.Applied(d.getName(), d));
                continue;
            }
            switch (canonical) {
                case "key" -> {
                    String fields = stringArg(d, "fields");
                    if (fields == null) {
                        errors.add(error(ErrorCode.KEY_INVALID_FIELDS, "[" + name + "] @key on \"" + type.name
                                + "\" has no fields argument", d));
                        break;
                    }
                    FieldSet parsed;
                    try {
                        parsed = FieldSet.parse(fields);
                    } catch (IllegalArgumentException e) {
                        errors.add(error(ErrorCode.KEY_INVALID_FIELDS, "[" + name + "] On type \"" + type.name
                                + "\", for @key(fields: \"" + fields + "\"): " + e.getMessage(), d));
                        break;
                    }
                    type.keys.add(new SubgraphModel.Key(fields, parsed, boolArg(d, "resolvable", true),
                            d.getSourceLocation()));
                }
                case "extends" -> type.extendsDirective = true;
                case "external" -> { }
                case "shareable" -> type.shareable = true;
                case "interfaceObject" -> type.interfaceObject = true;
                case "inaccessible" -> type.inaccessible = true;
                case "tag" -> addTag(type.tags, d);
                case "context" -> {
                    String context = stringArg(d, "name");
                    if (context != null) {
                        type.contexts.add(context);
                    }
                }
                default -> type.applied.add(new SubgraphModel.Applied(canonical, d));
            }
        }
    }

    private void readField(TypeDef type, FieldDefinition definition) {
        FieldDef field = new FieldDef(definition.getName(), definition.getType(), definition.getSourceLocation());
        field.description = description(definition.getDescription());
        for (InputValueDefinition arg : definition.getInputValueDefinitions()) {
            field.args.put(arg.getName(), readArg(arg));
        }
        for (Directive d : definition.getDirectives()) {
            String canonical = names.canonical(d.getName());
            if (canonical == null) {
                if (d.getName().equals("deprecated")) {
                    field.deprecation = deprecationReason(d);
                } else {
                    field.applied.add(new SubgraphModel.Applied(d.getName(), d));
                }
                continue;
            }
            switch (canonical) {
                case "external" -> field.external = true;
                case "shareable" -> field.shareable = true;
                case "inaccessible" -> field.inaccessible = true;
                case "requires" -> field.requires = stringArg(d, "fields");
                case "provides" -> field.provides = stringArg(d, "fields");
                case "override" -> {
                    field.overrideFrom = stringArg(d, "from");
                    field.overrideLabel = stringArg(d, "label");
                }
                case "tag" -> addTag(field.tags, d);
                default -> field.applied.add(new SubgraphModel.Applied(canonical, d));
            }
        }
        if (type.fields.containsKey(field.name)) {
            errors.add(new CompositionError(ErrorCode.INVALID_GRAPHQL, "[" + name + "] Field \"" + type.name + "."
                    + field.name + "\" can only be defined once.", name, line(definition), column(definition)));
            return;
        }
        type.fields.put(field.name, field);
    }

    private ArgDef readArg(InputValueDefinition definition) {
        ArgDef arg = new ArgDef(definition.getName(), definition.getType(), definition.getDefaultValue(),
                definition.getSourceLocation());
        arg.description = description(definition.getDescription());
        for (Directive d : definition.getDirectives()) {
            String canonical = names.canonical(d.getName());
            if (canonical == null) {
                if (d.getName().equals("deprecated")) {
                    arg.deprecation = deprecationReason(d);
                } else {
                    arg.applied.add(new SubgraphModel.Applied(d.getName(), d));
                }
                continue;
            }
            switch (canonical) {
                case "inaccessible" -> arg.inaccessible = true;
                case "tag" -> addTag(arg.tags, d);
                case "fromContext" -> arg.fromContext = stringArg(d, "field");
                default -> arg.applied.add(new SubgraphModel.Applied(canonical, d));
            }
        }
        return arg;
    }

    private void readInputField(TypeDef type, InputValueDefinition definition) {
        FieldDef field = new FieldDef(definition.getName(), definition.getType(), definition.getSourceLocation());
        field.description = description(definition.getDescription());
        field.defaultValue = definition.getDefaultValue();
        for (Directive d : definition.getDirectives()) {
            String canonical = names.canonical(d.getName());
            if (d.getName().equals("deprecated")) {
                field.deprecation = deprecationReason(d);
            } else if ("inaccessible".equals(canonical)) {
                field.inaccessible = true;
            } else if ("tag".equals(canonical)) {
                addTag(field.tags, d);
            } else {
                field.applied.add(new SubgraphModel.Applied(canonical == null ? d.getName() : canonical, d));
            }
        }
        type.fields.put(field.name, field);
    }

    private void readEnumValue(TypeDef type, EnumValueDefinition definition) {
        EnumValueDef value = type.values.computeIfAbsent(definition.getName(), EnumValueDef::new);
        value.description = first(value.description, description(definition.getDescription()));
        for (Directive d : definition.getDirectives()) {
            String canonical = names.canonical(d.getName());
            if (d.getName().equals("deprecated")) {
                value.deprecation = deprecationReason(d);
            } else if ("inaccessible".equals(canonical)) {
                value.inaccessible = true;
            } else if ("tag".equals(canonical)) {
                addTag(value.tags, d);
            } else {
                value.applied.add(new SubgraphModel.Applied(canonical == null ? d.getName() : canonical, d));
            }
        }
    }

    static final String DEFAULT_DEPRECATION = "No longer supported";

    private static String deprecationReason(Directive d) {
        String reason = stringArg(d, "reason");
        return reason == null ? DEFAULT_DEPRECATION : reason;
    }

    private static void addTag(Set<String> tags, Directive d) {
        String tag = stringArg(d, "name");
        if (tag != null) {
            tags.add(tag);
        }
    }

    private static void addOnce(List<String> list, String value) {
        if (!list.contains(value)) {
            list.add(value);
        }
    }

    private static String first(String current, String candidate) {
        return current != null ? current : candidate;
    }

    private static String description(Description description) {
        return description == null ? null : description.getContent();
    }

    static String stringArg(Directive directive, String argName) {
        var argument = directive.getArgument(argName);
        return argument != null && argument.getValue() instanceof StringValue s ? s.getValue() : null;
    }

    static boolean boolArg(Directive directive, String argName, boolean fallback) {
        var argument = directive.getArgument(argName);
        return argument != null && argument.getValue() instanceof BooleanValue b ? b.isValue() : fallback;
    }

    private CompositionError error(String code, String message, graphql.language.Node<?> node) {
        return new CompositionError(code, message, name, line(node), column(node));
    }

    static int line(graphql.language.Node<?> node) {
        return node.getSourceLocation() == null ? 0 : node.getSourceLocation().getLine();
    }

    static int column(graphql.language.Node<?> node) {
        return node.getSourceLocation() == null ? 0 : node.getSourceLocation().getColumn();
    }
}
