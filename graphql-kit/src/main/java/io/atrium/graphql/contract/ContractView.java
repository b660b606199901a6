package io.atrium.graphql.contract;

import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.schema.idl.errors.SchemaProblem;
import io.atrium.graphql.schema.LinkedDirectives;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's view of a join-spec supergraph: the API schema (no link/join machinery, nothing {@code @inaccessible})
 * filtered by {@code @tag} rules ({@link ViewRules}) as Apollo's contracts filter it. Removal cascades: a field whose
 * type is gone goes too, an object, interface or input left without fields goes, a union without members goes; then
 * (optionally) types no root reaches are hidden. The view is only for parsing, validating and introspection: the
 * router still plans on the full supergraph, so a field hidden from the view keeps working through {@code @requires}.
 *
 * @param schema the view as an (unexecutable) schema
 * @param sdl    the view printed, for logs and checks
 */
public record ContractView(GraphQLSchema schema, String sdl) {
    private static final Set<String> BUILT_IN_SCALARS = Set.of("String", "Int", "Float", "Boolean", "ID");
    private static final Set<String> BUILT_IN_DIRECTIVES = Set.of("include", "skip", "deprecated", "specifiedBy",
            "oneOf", "defer", "experimental_disableErrorPropagation");

    /** Builds the view; a supergraph whose view is not a valid schema fails with {@link ContractException}. */
    public static ContractView build(String supergraphSdl, ViewRules rules) {
        Document document = LinkedDirectives.parseSdl(supergraphSdl);
        Document filtered = new Filter(document, rules).apply();
        GraphQLSchema schema;
        try {
            schema = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().buildRegistry(filtered));
        } catch (SchemaProblem e) {
            throw new ContractException("the view of the supergraph is not a valid schema: " + e.getMessage());
        }
        String printed = new SchemaPrinter(SchemaPrinter.Options.defaultOptions().includeDirectives(false)
                .includeScalarTypes(true)).print(schema);
        return new ContractView(schema, printed);
    }

    /** The filtering of one document (mutable working state, used once). */
    private static final class Filter {
        private final Document document;
        private final ViewRules rules;
        private final Set<String> featureNames = new HashSet<>();
        private final Set<String> featurePrefixes = new HashSet<>();
        private final String tag;
        private final String inaccessible;
        private final Map<String, TypeDefinition<?>> types = new LinkedHashMap<>();
        private final Map<String, String> roots = new LinkedHashMap<>();

        Filter(Document document, ViewRules rules) {
            this.document = document;
            this.rules = rules;
            readLinks();
            this.tag = localName("tag");
            this.inaccessible = localName("inaccessible");
        }

        private void readLinks() {
            featureNames.add("link");
            featurePrefixes.add("link__");
            for (Definition<?> definition : document.getDefinitions()) {
                if (!(definition instanceof SchemaDefinition schema)) {
                    continue;
                }
                for (OperationTypeDefinition op : schema.getOperationTypeDefinitions()) {
                    roots.put(op.getName(), ((TypeName) op.getTypeName()).getName());
                }
                for (Directive link : schema.getDirectives("link")) {
                    String url = LinkedDirectives.string(LinkedDirectives.argument(link, "url"));
                    String as = LinkedDirectives.string(LinkedDirectives.argument(link, "as"));
                    String name = as != null ? as : specName(url);
                    if (name != null) {
                        featureNames.add(name);
                        featurePrefixes.add(name + "__");
                    }
                    if (LinkedDirectives.argument(link, "import") instanceof graphql.language.ArrayValue imports) {
                        for (var item : imports.getValues()) {
                            if (item instanceof StringValue s) {
                                featureNames.add(s.getValue().replaceFirst("^@", ""));
                            } else if (item instanceof graphql.language.ObjectValue object) {
                                object.getObjectFields().stream()
                                        .filter(f -> f.getName().equals("as") || f.getName().equals("name"))
                                        .map(f -> LinkedDirectives.string(f.getValue()))
                                        .filter(v -> v != null)
                                        .forEach(v -> featureNames.add(v.replaceFirst("^@", "")));
                            }
                        }
                    }
                }
            }
            roots.putIfAbsent("query", "Query");
            if (roots.size() == 1) {
                roots.put("mutation", "Mutation");
                roots.put("subscription", "Subscription");
            }
        }

        private static String specName(String url) {
            if (url == null) {
                return null;
            }
            String[] parts = url.replaceAll("/+$", "").split("/");
            return parts.length >= 2 ? parts[parts.length - 2] : null;
        }

        private String localName(String spec) {
            Map<String, String> names = LinkedDirectives.localNames(document, spec, spec);
            return names.isEmpty() ? spec : names.keySet().iterator().next();
        }

        private boolean isFeature(String name) {
            if (featureNames.contains(name)) {
                return true;
            }
            for (String prefix : featurePrefixes) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }

        private Set<String> tags(DirectivesContainer<?> element) {
            Set<String> tags = new HashSet<>();
            for (Directive d : element.getDirectives(tag)) {
                String name = LinkedDirectives.string(LinkedDirectives.argument(d, "name"));
                if (name != null) {
                    tags.add(name);
                }
            }
            return tags;
        }

        private boolean excluded(DirectivesContainer<?> element) {
            if (!element.getDirectives(inaccessible).isEmpty()) {
                return true;
            }
            for (String t : tags(element)) {
                if (rules.exclude().contains(t)) {
                    return true;
                }
            }
            return false;
        }

        private boolean included(DirectivesContainer<?> element) {
            for (String t : tags(element)) {
                if (rules.include().contains(t)) {
                    return true;
                }
            }
            return false;
        }

        Document apply() {
            for (Definition<?> definition : document.getDefinitions()) {
                if (definition instanceof TypeDefinition<?> type && !(definition instanceof DirectiveDefinition)
                        && !isFeature(type.getName()) && !excluded(type)) {
                    types.put(type.getName(), type);
                }
            }
            firstPass();
            cascade();
            if (rules.hideUnreachable()) {
                types.keySet().retainAll(reachable());
            }
            List<Definition> kept = new ArrayList<>();
            for (Definition<?> definition : document.getDefinitions()) {
                if (definition instanceof DirectiveDefinition d) {
                    if (!isFeature(d.getName()) && !BUILT_IN_DIRECTIVES.contains(d.getName())) {
                        kept.add(d);
                    }
                } else if (definition instanceof SchemaDefinition s) {
                    List<OperationTypeDefinition> ops = new ArrayList<>();
                    for (OperationTypeDefinition op : s.getOperationTypeDefinitions()) {
                        if (types.containsKey(((TypeName) op.getTypeName()).getName())) {
                            ops.add(op);
                        }
                    }
                    kept.add(s.transform(b -> b.directives(List.of()).operationTypeDefinitions(ops)));
                }
            }
            for (TypeDefinition<?> type : types.values()) {
                kept.add(stripFeatureDirectives(type));
            }
            return Document.newDocument().definitions(kept).build();
        }

        /** Per-element rules: inaccessible and excluded elements, and (with an include list) untagged fields. */
        private void firstPass() {
            boolean includeMode = !rules.include().isEmpty();
            for (TypeDefinition<?> type : List.copyOf(types.values())) {
                boolean typeIncluded = included(type);
                TypeDefinition<?> next = switch (type) {
                    case ObjectTypeDefinition o -> o.transform(b -> b.fieldDefinitions(
                            selectFields(o.getFieldDefinitions(), includeMode && !typeIncluded)));
                    case InterfaceTypeDefinition i -> i.transform(b -> b.definitions(
                            selectFields(i.getFieldDefinitions(), includeMode && !typeIncluded)));
                    case UnionTypeDefinition u when includeMode && !typeIncluded -> null;
                    case EnumTypeDefinition e -> e.transform(b -> b.enumValueDefinitions(
                            e.getEnumValueDefinitions().stream().filter(v -> !excluded(v)).toList()));
                    case InputObjectTypeDefinition in -> in.transform(b -> b.inputValueDefinitions(
                            in.getInputValueDefinitions().stream().filter(v -> !excluded(v)).toList()));
                    default -> type;
                };
                if (next == null) {
                    types.remove(type.getName());
                } else {
                    types.put(type.getName(), next);
                }
            }
        }

        private List<FieldDefinition> selectFields(List<FieldDefinition> fields, boolean needsTag) {
            List<FieldDefinition> kept = new ArrayList<>();
            for (FieldDefinition f : fields) {
                if (excluded(f) || (needsTag && !included(f))) {
                    continue;
                }
                kept.add(f.transform(b -> b.inputValueDefinitions(
                        f.getInputValueDefinitions().stream().filter(a -> !excluded(a)).toList())));
            }
            return kept;
        }

        /** Removes what refers to removed types, until nothing changes. */
        private void cascade() {
            boolean changed = true;
            while (changed) {
                changed = false;
                for (TypeDefinition<?> type : List.copyOf(types.values())) {
                    TypeDefinition<?> next = switch (type) {
                        case ObjectTypeDefinition o -> {
                            List<FieldDefinition> fields = liveFields(o.getFieldDefinitions());
                            yield fields.isEmpty() ? null : o.transform(b -> b.fieldDefinitions(fields)
                                    .implementz(liveTypes(o.getImplements())));
                        }
                        case InterfaceTypeDefinition i -> {
                            List<FieldDefinition> fields = liveFields(i.getFieldDefinitions());
                            yield fields.isEmpty() ? null : i.transform(b -> b.definitions(fields)
                                    .implementz(liveTypes(i.getImplements())));
                        }
                        case UnionTypeDefinition u -> {
                            List<Type> members = liveTypes(u.getMemberTypes());
                            yield members.isEmpty() ? null : u.transform(b -> b.memberTypes(members));
                        }
                        case InputObjectTypeDefinition in -> {
                            List<InputValueDefinition> fields = liveInputs(in.getInputValueDefinitions());
                            yield fields == null || fields.isEmpty() ? null
                                    : in.transform(b -> b.inputValueDefinitions(fields));
                        }
                        case EnumTypeDefinition e -> e.getEnumValueDefinitions().isEmpty() ? null : e;
                        default -> type;
                    };
                    if (next == null) {
                        types.remove(type.getName());
                        changed = true;
                    } else if (!graphql.language.AstComparator.isEqual(type, next)) {
                        types.put(type.getName(), next);
                        changed = true;
                    }
                }
            }
        }

        private boolean live(Type<?> type) {
            String name = namedType(type);
            return BUILT_IN_SCALARS.contains(name) || types.containsKey(name);
        }

        private List<FieldDefinition> liveFields(List<FieldDefinition> fields) {
            List<FieldDefinition> kept = new ArrayList<>();
            for (FieldDefinition f : fields) {
                if (!live(f.getType())) {
                    continue;
                }
                List<InputValueDefinition> args = liveInputs(f.getInputValueDefinitions());
                if (args != null) {
                    kept.add(args.size() == f.getInputValueDefinitions().size() ? f
                            : f.transform(b -> b.inputValueDefinitions(args)));
                }
            }
            return kept;
        }

        /** The inputs whose types are live; null when a required one is not (its owner must go). */
        private List<InputValueDefinition> liveInputs(List<InputValueDefinition> inputs) {
            List<InputValueDefinition> kept = new ArrayList<>();
            for (InputValueDefinition input : inputs) {
                if (live(input.getType())) {
                    kept.add(input);
                } else if (input.getType() instanceof NonNullType && input.getDefaultValue() == null) {
                    return null;
                }
            }
            return kept;
        }

        private List<Type> liveTypes(List<Type> named) {
            List<Type> kept = new ArrayList<>();
            for (Type<?> t : named) {
                if (types.containsKey(namedType(t))) {
                    kept.add(t);
                }
            }
            return kept;
        }

        /** Types reachable from the root operation types (implementations of a reachable interface included). */
        private Set<String> reachable() {
            Set<String> seen = new HashSet<>();
            Deque<String> queue = new ArrayDeque<>();
            for (String root : roots.values()) {
                if (types.containsKey(root)) {
                    queue.add(root);
                }
            }
            Map<String, List<String>> implementations = new LinkedHashMap<>();
            for (TypeDefinition<?> type : types.values()) {
                List<Type> interfaces = type instanceof ObjectTypeDefinition o ? o.getImplements()
                        : type instanceof InterfaceTypeDefinition i ? i.getImplements() : List.of();
                for (Type<?> t : interfaces) {
                    implementations.computeIfAbsent(namedType(t), k -> new ArrayList<>()).add(type.getName());
                }
            }
            while (!queue.isEmpty()) {
                String name = queue.poll();
                if (!seen.add(name) || !types.containsKey(name)) {
                    continue;
                }
                List<Type> refs = new ArrayList<>();
                switch (types.get(name)) {
                    case ObjectTypeDefinition o -> {
                        fieldRefs(o.getFieldDefinitions(), refs);
                        refs.addAll(o.getImplements());
                    }
                    case InterfaceTypeDefinition i -> {
                        fieldRefs(i.getFieldDefinitions(), refs);
                        refs.addAll(i.getImplements());
                        implementations.getOrDefault(name, List.of()).forEach(queue::add);
                    }
                    case UnionTypeDefinition u -> refs.addAll(u.getMemberTypes());
                    case InputObjectTypeDefinition in -> in.getInputValueDefinitions().forEach(v -> refs.add(v.getType()));
                    default -> {
                    }
                }
                for (Type<?> ref : refs) {
                    queue.add(namedType(ref));
                }
            }
            return seen;
        }

        private static void fieldRefs(List<FieldDefinition> fields, List<Type> refs) {
            for (FieldDefinition f : fields) {
                refs.add(f.getType());
                f.getInputValueDefinitions().forEach(a -> refs.add(a.getType()));
            }
        }

        private TypeDefinition<?> stripFeatureDirectives(TypeDefinition<?> type) {
            return switch (type) {
                case ObjectTypeDefinition o -> o.transform(b -> b.directives(directives(o))
                        .fieldDefinitions(o.getFieldDefinitions().stream().map(this::strip).toList()));
                case InterfaceTypeDefinition i -> i.transform(b -> b.directives(directives(i))
                        .definitions(i.getFieldDefinitions().stream().map(this::strip).toList()));
                case UnionTypeDefinition u -> u.transform(b -> b.directives(directives(u)));
                case EnumTypeDefinition e -> e.transform(b -> b.directives(directives(e)).enumValueDefinitions(
                        e.getEnumValueDefinitions().stream()
                                .map(v -> v.transform(vb -> vb.directives(directives(v)))).toList()));
                case InputObjectTypeDefinition in -> in.transform(b -> b.directives(directives(in))
                        .inputValueDefinitions(in.getInputValueDefinitions().stream().map(this::strip).toList()));
                case graphql.language.ScalarTypeDefinition s -> s.transform(b -> b.directives(directives(s)));
                default -> type;
            };
        }

        private FieldDefinition strip(FieldDefinition f) {
            return f.transform(b -> b.directives(directives(f))
                    .inputValueDefinitions(f.getInputValueDefinitions().stream().map(this::strip).toList()));
        }

        private InputValueDefinition strip(InputValueDefinition v) {
            return v.transform(b -> b.directives(directives(v)));
        }

        private List<Directive> directives(DirectivesContainer<?> element) {
            List<Directive> kept = new ArrayList<>();
            for (Directive d : element.getDirectives()) {
                if (!isFeature(d.getName())) {
                    kept.add(d);
                }
            }
            return kept;
        }

        private static String namedType(Type<?> type) {
            return switch (type) {
                case NonNullType n -> namedType(n.getType());
                case ListType l -> namedType(l.getType());
                case TypeName t -> t.getName();
                default -> throw new IllegalStateException("unknown type node " + type);
            };
        }
    }
}
