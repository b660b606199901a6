package io.atrium.router.compose.internal;

import graphql.language.DirectiveDefinition;
import graphql.language.DirectiveLocation;
import graphql.language.InputValueDefinition;
import io.atrium.router.compose.internal.MergedSchema.MArg;
import io.atrium.router.compose.internal.MergedSchema.MField;
import io.atrium.router.compose.internal.MergedSchema.MType;
import io.atrium.router.compose.internal.MergedSchema.MValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints a {@link MergedSchema} as a join-spec supergraph, laid out the way Apollo's composition prints it. */
final class Printer {
    private static final String SPECS = "https://specs.apollo.dev/";
    private static final Comparator<String> ORDER = String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());
    private static final String ALL_TYPE_LOCATIONS = "FIELD_DEFINITION | OBJECT | INTERFACE | UNION"
            + " | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION";
    private static final String AUTH_LOCATIONS = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM";
    /** Feature → its link, in the order Apollo adds them. */
    private static final Map<String, String> LINKS = new java.util.LinkedHashMap<>();

    static {
        LINKS.put("tag", "@link(url: \"" + SPECS + "tag/v0.3\")");
        LINKS.put("inaccessible", "@link(url: \"" + SPECS + "inaccessible/v0.2\", for: SECURITY)");
        LINKS.put("authenticated", "@link(url: \"" + SPECS + "authenticated/v0.1\", for: SECURITY)");
        LINKS.put("requiresScopes", "@link(url: \"" + SPECS + "requiresScopes/v0.1\", for: SECURITY)");
        LINKS.put("policy", "@link(url: \"" + SPECS + "policy/v0.1\", for: SECURITY)");
        LINKS.put("context", "@link(url: \"" + SPECS + "context/v0.1\", for: SECURITY)");
        LINKS.put("cost", "@link(url: \"" + SPECS + "cost/v0.1\", import: [\"@listSize\"])");
    }

    private final MergedSchema schema;
    private final StringBuilder out = new StringBuilder();

    private Printer(MergedSchema schema) {
        this.schema = schema;
    }

    static String print(MergedSchema schema) {
        return new Printer(schema).run();
    }

    private String run() {
        out.append("schema\n  @link(url: \"").append(SPECS).append("link/v1.0\")\n  @link(url: \"").append(SPECS)
                .append("join/v0.").append(schema.joinMinor).append("\", for: EXECUTION)\n");
        LINKS.forEach((feature, link) -> {
            if (schema.features.contains(feature)) {
                out.append("  ").append(link).append('\n');
            }
        });
        schema.customLinks.forEach(link -> out.append("  ").append(link).append('\n'));
        if (ConnectDirectives.used(schema)) {
            out.append("  ").append(ConnectDirectives.SUPERGRAPH_LINK).append('\n');
        }
        ConnectDirectives.schemaDirectives(schema).forEach(d -> out.append("  ").append(d).append('\n'));
        out.append("{\n  query: Query\n");
        if (schema.hasMutation) {
            out.append("  mutation: Mutation\n");
        }
        if (schema.hasSubscription) {
            out.append("  subscription: Subscription\n");
        }
        out.append("}\n");
        TreeMap<String, String> definitions = new TreeMap<>(ORDER);
        directiveDefinitions(definitions);
        definitions.values().forEach(d -> out.append('\n').append(d).append('\n'));
        TreeMap<String, String> types = new TreeMap<>(ORDER);
        machineryTypes(types);
        for (MType type : schema.types.values()) {
            types.put(type.name, type(type));
        }
        types.values().forEach(t -> out.append('\n').append(t));
        return out.toString();
    }

    private void directiveDefinitions(Map<String, String> defs) {
        defs.put("join__enumValue", "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE");
        String fieldArgs = "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String,"
                + " external: Boolean, override: String, usedOverridden: Boolean"
                + (schema.joinMinor >= 4 ? ", overrideLabel: String" : "")
                + (schema.joinMinor >= 5 ? ", contextArguments: [join__ContextArgument!]" : "");
        defs.put("join__field", "directive @join__field(" + fieldArgs + ") repeatable on FIELD_DEFINITION"
                + " | INPUT_FIELD_DEFINITION");
        defs.put("join__graph", "directive @join__graph(name: String!, url: String!) on ENUM_VALUE");
        defs.put("join__implements", "directive @join__implements(graph: join__Graph!, interface: String!)"
                + " repeatable on OBJECT | INTERFACE");
        defs.put("join__type", "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean!"
                + " = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT"
                + " | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR");
        defs.put("join__unionMember", "directive @join__unionMember(graph: join__Graph!, member: String!)"
                + " repeatable on UNION");
        defs.put("link", "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import])"
                + " repeatable on SCHEMA");
        if (schema.joinMinor >= 4) {
            defs.put("join__directive", "directive @join__directive(graphs: [join__Graph!], name: String!,"
                    + " args: join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION");
        }
        if (schema.features.contains("inaccessible")) {
            defs.put("inaccessible", "directive @inaccessible on " + ALL_TYPE_LOCATIONS);
        }
        if (schema.features.contains("tag")) {
            defs.put("tag", "directive @tag(name: String!) repeatable on " + ALL_TYPE_LOCATIONS + " | SCHEMA");
        }
        if (schema.features.contains("context")) {
            defs.put("context", "directive @context(name: String!) repeatable on INTERFACE | OBJECT | UNION");
            defs.put("context__fromContext", "directive @context__fromContext(field: context__ContextFieldValue)"
                    + " on ARGUMENT_DEFINITION");
        }
        if (schema.features.contains("authenticated")) {
            defs.put("authenticated", "directive @authenticated on " + AUTH_LOCATIONS);
        }
        if (schema.features.contains("requiresScopes")) {
            defs.put("requiresScopes", "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on "
                    + AUTH_LOCATIONS);
        }
        if (schema.features.contains("policy")) {
            defs.put("policy", "directive @policy(policies: [[policy__Policy!]!]!) on " + AUTH_LOCATIONS);
        }
        if (schema.features.contains("cost")) {
            defs.put("cost", "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION"
                    + " | INPUT_FIELD_DEFINITION | OBJECT | SCALAR");
            defs.put("listSize", "directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields:"
                    + " [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION");
        }
        defs.putAll(schema.customDirectiveDefinitions);
    }

    private void machineryTypes(Map<String, String> types) {
        types.put("join__FieldSet", "scalar join__FieldSet\n");
        StringBuilder graphs = new StringBuilder("enum join__Graph {\n");
        for (SubgraphModel s : schema.subgraphs) {
            graphs.append("  ").append(s.graphEnum).append(" @join__graph(name: ").append(Values.quote(s.name))
                    .append(", url: ").append(Values.quote(s.url)).append(")\n");
        }
        types.put("join__Graph", graphs.append("}\n").toString());
        types.put("link__Import", "scalar link__Import\n");
        types.put("link__Purpose", "enum link__Purpose {\n  \"\"\"\n  `SECURITY` features provide metadata necessary"
                + " to securely resolve fields.\n  \"\"\"\n  SECURITY\n\n  \"\"\"\n  `EXECUTION` features provide"
                + " metadata necessary for operation execution.\n  \"\"\"\n  EXECUTION\n}\n");
        if (schema.joinMinor >= 4) {
            types.put("join__DirectiveArguments", "scalar join__DirectiveArguments\n");
        }
        if (schema.joinMinor >= 5) {
            types.put("join__FieldValue", "scalar join__FieldValue\n");
            types.put("join__ContextArgument", "input join__ContextArgument {\n  name: String!\n  type: String!\n"
                    + "  context: String!\n  selection: join__FieldValue!\n}\n");
        }
        if (schema.features.contains("context")) {
            types.put("context__ContextFieldValue", "scalar context__ContextFieldValue\n");
        }
        if (schema.features.contains("requiresScopes")) {
            types.put("requiresScopes__Scope", "scalar requiresScopes__Scope\n");
        }
        if (schema.features.contains("policy")) {
            types.put("policy__Policy", "scalar policy__Policy\n");
        }
    }

    private static String type(MType type) {
        StringBuilder b = new StringBuilder();
        description(b, type.description, "");
        String keyword = switch (type.kind) {
            case OBJECT -> "type";
            case INTERFACE -> "interface";
            case UNION -> "union";
            case ENUM -> "enum";
            case INPUT_OBJECT -> "input";
            case SCALAR -> "scalar";
        };
        b.append(keyword).append(' ').append(type.name);
        if (!type.implementz.isEmpty()) {
            b.append(" implements ").append(String.join(" & ", type.implementz));
        }
        for (String directive : type.directives) {
            b.append("\n  ").append(directive);
        }
        switch (type.kind) {
            case SCALAR -> b.append('\n');
            case UNION -> b.append(type.directives.isEmpty() ? "" : "\n").append(" = ")
                    .append(String.join(" | ", type.members)).append('\n');
            case ENUM -> {
                b.append(type.directives.isEmpty() ? " {\n" : "\n{\n");
                boolean first = true;
                for (MValue value : type.values.values()) {
                    if (value.description != null && !first) {
                        b.append('\n');
                    }
                    first = false;
                    description(b, value.description, "  ");
                    b.append("  ").append(value.name);
                    value.directives.forEach(d -> b.append(' ').append(d));
                    b.append('\n');
                }
                b.append("}\n");
            }
            default -> {
                b.append(type.directives.isEmpty() ? " {\n" : "\n{\n");
                boolean first = true;
                for (MField field : type.fields.values()) {
                    if (field.description != null && !first) {
                        b.append('\n');
                    }
                    first = false;
                    field(b, field);
                }
                b.append("}\n");
            }
        }
        return b.toString();
    }

    private static void field(StringBuilder b, MField field) {
        description(b, field.description, "  ");
        b.append("  ").append(field.name);
        if (!field.args.isEmpty()) {
            boolean multiline = field.args.stream().anyMatch(a -> a.description != null);
            b.append('(');
            List<String> args = new ArrayList<>();
            for (MArg arg : field.args) {
                StringBuilder a = new StringBuilder();
                if (multiline) {
                    description(a, arg.description, "    ");
                    a.append("    ");
                }
                a.append(arg.name).append(": ").append(arg.type);
                if (arg.defaultValue != null) {
                    a.append(" = ").append(arg.defaultValue);
                }
                arg.directives.forEach(d -> a.append(' ').append(d));
                args.add(a.toString());
            }
            b.append(multiline ? "\n" + String.join("\n", args) + "\n  " : String.join(", ", args)).append(')');
        }
        b.append(": ").append(field.type);
        if (field.defaultValue != null) {
            b.append(" = ").append(field.defaultValue);
        }
        field.directives.forEach(d -> b.append(' ').append(d));
        b.append('\n');
    }

    private static void description(StringBuilder b, String description, String indent) {
        if (description == null) {
            return;
        }
        b.append(indent).append("\"\"\"\n");
        for (String line : description.replace("\"\"\"", "\\\"\"\"").split("\n", -1)) {
            b.append(line.isEmpty() ? "" : indent + line).append('\n');
        }
        b.append(indent).append("\"\"\"\n");
    }

    /** A custom directive's definition as the subgraph wrote it (for {@code @composeDirective}). */
    static String directiveDefinition(DirectiveDefinition d) {
        StringBuilder b = new StringBuilder("directive @").append(d.getName());
        if (!d.getInputValueDefinitions().isEmpty()) {
            List<String> args = new ArrayList<>();
            for (InputValueDefinition arg : d.getInputValueDefinitions()) {
                String text = arg.getName() + ": " + TypeNames.print(arg.getType());
                if (arg.getDefaultValue() != null) {
                    text += " = " + Values.print(arg.getDefaultValue());
                }
                args.add(text);
            }
            b.append('(').append(String.join(", ", args)).append(')');
        }
        if (d.isRepeatable()) {
            b.append(" repeatable");
        }
        List<String> locations = new ArrayList<>();
        for (DirectiveLocation location : d.getDirectiveLocations()) {
            locations.add(location.getName());
        }
        return b.append(" on ").append(String.join(" | ", locations)).toString();
    }
}
