package io.atrium.graphql.authz;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.StringValue;
import graphql.language.TypeDefinition;
import graphql.language.Value;
import io.atrium.graphql.schema.LinkedDirectives;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The authorization directives of a (super)graph, read once per schema version: per type and per
 * {@code Type.field} coordinate. The directives are found under the names the schema's {@code @link}s give them
 * ({@code specs.apollo.dev/authenticated}, {@code /requiresScopes}, {@code /policy}; imported or prefixed).
 */
public final class Requirements {
    public static final Requirements NONE = new Requirements(Map.of(), Map.of());
    private static final List<String> SPECS = List.of("authenticated", "requiresScopes", "policy");

    private final Map<String, Requirement> types;
    private final Map<String, Requirement> fields;

    private Requirements(Map<String, Requirement> types, Map<String, Requirement> fields) {
        this.types = Map.copyOf(types);
        this.fields = Map.copyOf(fields);
    }

    public boolean isEmpty() {
        return types.isEmpty() && fields.isEmpty();
    }

    Requirement type(String name) {
        return types.getOrDefault(name, Requirement.NONE);
    }

    Requirement field(String type, String field) {
        return fields.getOrDefault(type + "." + field, Requirement.NONE);
    }

    /** Reads a schema's SDL (the supergraph): requirements on objects, interfaces, scalars, enums and fields. */
    public static Requirements read(String sdl) {
        Document document = LinkedDirectives.parseSdl(sdl);
        Map<String, String> names = new HashMap<>(); // local name → spec directive
        for (String spec : SPECS) {
            names.putAll(LinkedDirectives.localNames(document, spec, spec));
        }
        if (names.isEmpty()) {
            return NONE;
        }
        Map<String, Requirement> types = new HashMap<>();
        Map<String, Requirement> fields = new HashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof TypeDefinition<?> type)) {
                continue;
            }
            Requirement own = requirement(type, names);
            if (!own.isEmpty()) {
                types.merge(type.getName(), own, Requirement::and);
            }
            if (type instanceof ImplementingTypeDefinition<?> implementing) {
                for (FieldDefinition field : implementing.getFieldDefinitions()) {
                    Requirement onField = requirement(field, names);
                    if (!onField.isEmpty()) {
                        fields.merge(type.getName() + "." + field.getName(), onField, Requirement::and);
                    }
                }
            }
        }
        inheritOnInterfaces(document, types, fields);
        return new Requirements(types, fields);
    }

    /**
     * A field read through an interface demands what each implementation's field (and type) demands: the
     * directives are on object fields (Federation forbids them on interfaces), the operation may only name the
     * interface.
     */
    private static void inheritOnInterfaces(Document document, Map<String, Requirement> types,
                                            Map<String, Requirement> fields) {
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof ImplementingTypeDefinition<?> implementing)
                    || definition instanceof graphql.language.InterfaceTypeDefinition) {
                continue;
            }
            Requirement onType = types.getOrDefault(implementing.getName(), Requirement.NONE);
            for (graphql.language.Type<?> implemented : implementing.getImplements()) {
                String iface = ((graphql.language.TypeName) implemented).getName();
                for (FieldDefinition field : implementing.getFieldDefinitions()) {
                    Requirement demanded = onType.and(fields.getOrDefault(implementing.getName() + "." + field.getName(),
                            Requirement.NONE));
                    if (!demanded.isEmpty()) {
                        fields.merge(iface + "." + field.getName(), demanded, Requirement::and);
                    }
                }
            }
        }
    }

    private static Requirement requirement(DirectivesContainer<?> element, Map<String, String> names) {
        Requirement requirement = Requirement.NONE;
        for (Directive directive : element.getDirectives()) {
            String spec = names.get(directive.getName());
            if (spec == null) {
                continue;
            }
            requirement = requirement.and(switch (spec) {
                case "authenticated" -> new Requirement(true, List.of(), List.of());
                case "requiresScopes" -> new Requirement(true, orOfAnds(directive.getArgument("scopes")), List.of());
                default -> new Requirement(true, List.of(), orOfAnds(directive.getArgument("policies")));
            });
        }
        return requirement;
    }

    private static List<Set<String>> orOfAnds(Argument argument) {
        List<Set<String>> any = new ArrayList<>();
        if (argument != null && argument.getValue() instanceof ArrayValue outer) {
            for (Value<?> inner : outer.getValues()) {
                Set<String> all = new LinkedHashSet<>();
                if (inner instanceof ArrayValue values) {
                    for (Value<?> value : values.getValues()) {
                        if (value instanceof StringValue s) {
                            all.add(s.getValue());
                        }
                    }
                }
                any.add(Set.copyOf(all));
            }
        }
        return any;
    }
}
