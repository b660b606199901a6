package io.atrium.router.compose;

import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.schema.idl.SchemaPrinter;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parts of a supergraph that carry meaning, as a sorted set of lines: every type, field, argument, enum value,
 * union member and interface with its directives (arguments sorted, field sets re-printed, default-valued join
 * arguments dropped). Two supergraphs with the same lines are equivalent up to order and formatting.
 */
final class SupergraphNormalizer {
    private static final Set<String> FIELD_SET_ARGS = Set.of("key", "requires", "provides");
    private static final Set<String> DEFAULTS = Set.of("extension: false", "resolvable: true",
            "isInterfaceObject: false");

    private SupergraphNormalizer() {
    }

    /** The API schema as the router derives it, printed (graphql-java's printer sorts types and fields). */
    static String apiSchema(Supergraph supergraph) {
        return new SchemaPrinter(SchemaPrinter.Options.defaultOptions().includeDirectives(true))
                .print(supergraph.apiSchema());
    }

    static TreeSet<String> joinLines(String sdl) {
        Document doc = Parser.parse(ParserEnvironment.newParserEnvironment().document(sdl)
                .parserOptions(ParserOptions.getDefaultSdlParserOptions()).build());
        TreeSet<String> lines = new TreeSet<>();
        for (Definition<?> definition : doc.getDefinitions()) {
            switch (definition) {
                case SchemaDefinition schema -> {
                    for (Directive d : schema.getDirectives()) {
                        lines.add("schema " + directive(d));
                    }
                    schema.getOperationTypeDefinitions().forEach(op -> lines.add("schema " + op.getName() + ": "
                            + op.getTypeName().getName()));
                }
                case DirectiveDefinition d -> lines.add("directive " + AstPrinter.printAstCompact(d));
                case TypeDefinition<?> type -> type(type, lines);
                default -> lines.add(AstPrinter.printAstCompact(definition));
            }
        }
        return lines;
    }

    private static void type(TypeDefinition<?> type, TreeSet<String> lines) {
        String name = type.getName();
        lines.add("type " + name + " " + type.getClass().getSimpleName());
        for (Directive d : type.getDirectives()) {
            lines.add(name + " " + directive(d));
        }
        switch (type) {
            case ObjectTypeDefinition o -> {
                o.getImplements().forEach(t -> lines.add(name + " implements " + ((TypeName) t).getName()));
                o.getFieldDefinitions().forEach(f -> field(name, f, lines));
            }
            case InterfaceTypeDefinition i -> {
                i.getImplements().forEach(t -> lines.add(name + " implements " + ((TypeName) t).getName()));
                i.getFieldDefinitions().forEach(f -> field(name, f, lines));
            }
            case UnionTypeDefinition u -> u.getMemberTypes().forEach(t -> lines.add(name + " member "
                    + ((TypeName) t).getName()));
            case EnumTypeDefinition e -> {
                for (EnumValueDefinition v : e.getEnumValueDefinitions()) {
                    lines.add(name + "." + v.getName());
                    v.getDirectives().forEach(d -> lines.add(name + "." + v.getName() + " " + directive(d)));
                }
            }
            case InputObjectTypeDefinition in -> in.getInputValueDefinitions().forEach(v -> input(name, v, lines));
            default -> { }
        }
    }

    private static void field(String type, FieldDefinition f, TreeSet<String> lines) {
        String coordinate = type + "." + f.getName();
        lines.add(coordinate + ": " + AstPrinter.printAstCompact(f.getType()));
        f.getDirectives().forEach(d -> lines.add(coordinate + " " + directive(d)));
        f.getInputValueDefinitions().forEach(a -> input(coordinate, a, lines));
        if (f.getDescription() != null) {
            lines.add(coordinate + " description " + f.getDescription().getContent().strip());
        }
    }

    private static void input(String owner, InputValueDefinition v, TreeSet<String> lines) {
        String coordinate = owner + "(" + v.getName() + ")";
        lines.add(coordinate + ": " + AstPrinter.printAstCompact(v.getType())
                + (v.getDefaultValue() == null ? "" : " = " + AstPrinter.printAstCompact(v.getDefaultValue())));
        v.getDirectives().forEach(d -> lines.add(coordinate + " " + directive(d)));
    }

    static String directive(Directive d) {
        List<String> args = new ArrayList<>();
        for (Argument a : d.getArguments()) {
            String value;
            if (FIELD_SET_ARGS.contains(a.getName()) && a.getValue() instanceof StringValue s) {
                value = "\"" + AstPrinter.printAstCompact(SupergraphReader.parseFieldSet(s.getValue())) + "\"";
            } else {
                value = AstPrinter.printAstCompact(a.getValue());
            }
            String arg = a.getName() + ": " + value;
            if (!DEFAULTS.contains(arg)) {
                args.add(arg);
            }
        }
        args.sort(null);
        return "@" + d.getName() + (args.isEmpty() ? "" : "(" + String.join(", ", args) + ")");
    }
}
