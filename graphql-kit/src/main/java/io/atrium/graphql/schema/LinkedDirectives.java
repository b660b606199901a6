package io.atrium.graphql.schema;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * The local names of a linked spec's directives in a schema ({@code @link(url:, as:, import:)}): an imported directive
 * takes its import name ({@code "@cost"} or {@code {name: "@cost", as: "@weight"}}); otherwise the spec's own
 * directive (named like the spec) takes the link's name, the others {@code <name>__<directive>}.
 */
public final class LinkedDirectives {
    private LinkedDirectives() {
    }

    public static Document parseSdl(String sdl) {
        return Parser.parse(ParserEnvironment.newParserEnvironment().document(sdl)
                .parserOptions(ParserOptions.getDefaultSdlParserOptions()).build());
    }

    /**
     * Local name → directive, for each of {@code directives} of the spec at {@code https://specs.apollo.dev/<spec>/…}
     * when the schema links it; empty otherwise.
     */
    public static Map<String, String> localNames(Document schema, String spec, String... directives) {
        Map<String, String> names = new HashMap<>();
        for (Definition<?> definition : schema.getDefinitions()) {
            if (!(definition instanceof SchemaDefinition schemaDefinition)) {
                continue;
            }
            for (Directive link : schemaDefinition.getDirectives("link")) {
                String url = string(argument(link, "url"));
                if (url == null || !url.startsWith("https://specs.apollo.dev/" + spec + "/")) {
                    continue;
                }
                String as = string(argument(link, "as"));
                String feature = as != null ? as : spec;
                for (String directive : directives) {
                    String imported = imported(link, directive);
                    names.put(imported != null ? imported
                            : directive.equals(spec) ? feature : feature + "__" + directive, directive);
                }
            }
        }
        return names;
    }

    private static String imported(Directive link, String directive) {
        if (!(argument(link, "import") instanceof ArrayValue list)) {
            return null;
        }
        for (Value<?> item : list.getValues()) {
            if (item instanceof StringValue s && s.getValue().equals("@" + directive)) {
                return directive;
            }
            if (item instanceof ObjectValue object) {
                String name = null;
                String as = null;
                for (ObjectField field : object.getObjectFields()) {
                    if (field.getName().equals("name")) {
                        name = string(field.getValue());
                    } else if (field.getName().equals("as")) {
                        as = string(field.getValue());
                    }
                }
                if (("@" + directive).equals(name)) {
                    return as == null ? directive : as.replaceFirst("^@", "");
                }
            }
        }
        return null;
    }

    public static Value<?> argument(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        return argument == null ? null : argument.getValue();
    }

    public static String string(Value<?> value) {
        return value instanceof StringValue s ? s.getValue() : null;
    }
}
