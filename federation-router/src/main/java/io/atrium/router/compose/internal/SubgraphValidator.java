package io.atrium.router.compose.internal;

import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.ErrorCode;
import io.atrium.router.compose.internal.SubgraphModel.FieldDef;
import io.atrium.router.compose.internal.SubgraphModel.Key;
import io.atrium.router.compose.internal.SubgraphModel.Kind;
import io.atrium.router.compose.internal.SubgraphModel.TypeDef;
import graphql.language.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules one subgraph must satisfy on its own: field sets of {@code @key}/{@code @requires}/{@code @provides}
 * select existing fields of the right kinds, {@code @external} is used, {@code @override} is well formed. Records the
 * fields each field set selects (used later by merging), and applies the Federation 1 upgrade (unused
 * {@code @external}s dropped, key fields of extensions no longer external).
 */
final class SubgraphValidator {
    private static final Pattern LABEL = Pattern.compile("^(percent\\((\\d{1,2}(\\.\\d{1,8})?|100)\\)|[a-zA-Z][\\w\\-:./]*)$");

    private enum Use { KEY, REQUIRES, PROVIDES, CONTEXT }

    private final SubgraphModel s;
    private final List<CompositionError> errors;

    private SubgraphValidator(SubgraphModel s, List<CompositionError> errors) {
        this.s = s;
        this.errors = errors;
    }

    static void validate(SubgraphModel subgraph, List<CompositionError> errors) {
        new SubgraphValidator(subgraph, errors).run();
    }

    private void run() {
        if (s.type("Query") == null || s.type("Query").fields.isEmpty()) {
            // a subgraph without queries is fine as long as some other subgraph has them (checked when merging)
        }
        for (TypeDef type : s.types.values()) {
            checkReferences(type);
            unexternalizeExtensionKeys(type);
        }
        if (s.fed1) {
            s.types.values().forEach(this::dropSelfProvidedSelections);
        }
        for (TypeDef type : s.types.values()) {
            for (Key key : type.keys) {
                walk(type.name, key.selection(), Use.KEY, s.keyFields, false, "On type \"" + type.name
                        + "\", for @key(fields: \"" + key.fields() + "\")", key.location());
            }
            for (FieldDef field : type.fields.values()) {
                checkField(type, field);
            }
        }
        for (TypeDef type : s.types.values()) {
            checkExternals(type);
            checkInterfaces(type);
        }
    }

    private static final Set<String> BUILT_IN_SCALARS = Set.of("String", "Int", "Float", "Boolean", "ID");

    /** Every type a definition names exists in the subgraph (GraphQL validity). */
    private void checkReferences(TypeDef type) {
        for (String name : type.interfaces) {
            requireType(name, type.location);
        }
        for (String name : type.members) {
            requireType(name, type.location);
        }
        for (FieldDef field : type.fields.values()) {
            requireType(TypeNames.named(field.type), field.location);
            for (SubgraphModel.ArgDef arg : field.args.values()) {
                requireType(TypeNames.named(arg.type), arg.location);
            }
        }
    }

    private void requireType(String name, SourceLocation location) {
        if (!BUILT_IN_SCALARS.contains(name) && s.type(name) == null) {
            add(ErrorCode.INVALID_GRAPHQL, "Unknown type \"" + name + "\".", location);
        }
    }

    /**
     * Federation 1 upgrade: a {@code @requires}/{@code @provides} selection of a field the subgraph resolves itself
     * (not {@code @external}) is dropped, and the directive with it when nothing is left.
     */
    private void dropSelfProvidedSelections(TypeDef type) {
        for (FieldDef field : type.fields.values()) {
            field.requires = externalOnly(field.requires, type.name);
            field.provides = externalOnly(field.provides, TypeNames.named(field.type));
        }
    }

    private String externalOnly(String fields, String typeName) {
        if (fields == null) {
            return null;
        }
        FieldSet set;
        try {
            set = FieldSet.parse(fields);
        } catch (IllegalArgumentException e) {
            return fields;
        }
        FieldSet kept = externalOnly(set, typeName);
        if (kept.selections().isEmpty()) {
            return null;
        }
        return kept.equals(set) ? fields : kept.print();
    }

    private FieldSet externalOnly(FieldSet set, String typeName) {
        TypeDef type = s.type(typeName);
        List<FieldSet.Sel> kept = new ArrayList<>();
        for (FieldSet.Sel sel : set.selections()) {
            FieldDef field = type == null || sel.isFragment() ? null : type.fields.get(sel.name());
            if (field == null || field.external) {
                kept.add(sel);
            } else if (sel.sub() != null) {
                FieldSet sub = externalOnly(sel.sub(), TypeNames.named(field.type));
                if (!sub.selections().isEmpty()) {
                    kept.add(new FieldSet.Sel(sel.name(), sel.hasArguments(), sel.hasDirectives(), null, sub,
                            sel.alias()));
                }
            }
        }
        return new FieldSet(List.copyOf(kept));
    }

    /** A key field that an extension (or Fed 1 {@code @extends}) marks {@code @external} is the subgraph's own. */
    private void unexternalizeExtensionKeys(TypeDef type) {
        if (!(type.extension || type.extendsDirective) || type.keys.isEmpty()) {
            return;
        }
        for (Key key : type.keys) {
            for (FieldSet.Sel sel : key.selection().selections()) {
                FieldDef field = sel.isFragment() ? null : type.fields.get(sel.name());
                if (field != null && field.external) {
                    field.external = false;
                }
            }
        }
    }

    private void checkField(TypeDef type, FieldDef field) {
        String coordinate = type.name + "." + field.name;
        if (field.requires != null) {
            FieldSet set = parse(field.requires, ErrorCode.REQUIRES_INVALID_FIELDS, "On field \"" + coordinate
                    + "\", for @requires(fields: \"" + field.requires + "\")", field.location);
            if (set != null) {
                walk(type.name, set, Use.REQUIRES, s.requiredFields, false, "On field \"" + coordinate
                        + "\", for @requires(fields: \"" + field.requires + "\")", field.location);
            }
        }
        if (field.provides != null) {
            String target = TypeNames.named(field.type);
            TypeDef targetType = s.type(target);
            if (targetType == null || !(targetType.kind == Kind.OBJECT || targetType.kind == Kind.INTERFACE
                    || targetType.kind == Kind.UNION)) {
                add(ErrorCode.PROVIDES_ON_NON_OBJECT_FIELD, "Invalid @provides directive on field \"" + coordinate
                        + "\": field has type \"" + TypeNames.print(field.type) + "\" which is not a Composite Type",
                        field.location);
            } else {
                FieldSet set = parse(field.provides, ErrorCode.PROVIDES_INVALID_FIELDS, "On field \"" + coordinate
                        + "\", for @provides(fields: \"" + field.provides + "\")", field.location);
                if (set != null) {
                    walk(target, set, Use.PROVIDES, s.providedFields, false, "On field \"" + coordinate
                            + "\", for @provides(fields: \"" + field.provides + "\")", field.location);
                }
            }
        }
        for (SubgraphModel.ArgDef arg : field.args.values()) {
            if (arg.fromContext != null) {
                checkContextSelection(coordinate, arg);
            }
        }
        if (field.overrideFrom != null) {
            if (field.overrideFrom.equals(s.name)) {
                add(ErrorCode.OVERRIDE_FROM_SELF_ERROR, "Source and destination subgraphs \"" + s.name
                        + "\" are the same for overridden field \"" + coordinate + "\"", field.location);
            }
            if (field.external) {
                add(ErrorCode.OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE, "@override cannot be used on field \""
                        + coordinate + "\" on subgraph \"" + s.name + "\" since \"" + coordinate
                        + "\" on \"" + s.name + "\" is marked with directive \"@external\"", field.location);
            }
            if (field.overrideLabel != null && !LABEL.matcher(field.overrideLabel).matches()) {
                add(ErrorCode.OVERRIDE_LABEL_INVALID, "Invalid @override label \"" + field.overrideLabel
                        + "\" on field \"" + coordinate + "\" on subgraph \"" + s.name
                        + "\": labels must start with a letter and after that may contain alphanumerics, underscores,"
                        + " minuses, colons, periods, or slashes. Alternatively, labels may be of the form"
                        + " \"percent(x)\" where x is a float between 0-100 inclusive.", field.location);
            }
        }
    }

    /** {@code @fromContext(field: "$name { selection }")}: the selection must hold on every type setting the context. */
    private void checkContextSelection(String coordinate, SubgraphModel.ArgDef arg) {
        String value = arg.fromContext.strip();
        int end = 1;
        while (end < value.length() && (Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '_')) {
            end++;
        }
        String where = "On field \"" + coordinate + "\", for @fromContext(field: \"" + arg.fromContext + "\")";
        if (!value.startsWith("$") || end == 1) {
            add(ErrorCode.NO_CONTEXT_IN_SELECTION, "@fromContext argument does not reference a context \""
                    + arg.fromContext + "\".", arg.location);
            return;
        }
        String context = value.substring(1, end);
        String selection = value.substring(end).strip();
        if (selection.startsWith("{") && selection.endsWith("}")) {
            selection = selection.substring(1, selection.length() - 1);
        }
        boolean found = false;
        for (TypeDef type : s.types.values()) {
            if (!type.contexts.contains(context)) {
                continue;
            }
            found = true;
            FieldSet set = parse(selection, ErrorCode.CONTEXT_INVALID_SELECTION, where, arg.location);
            if (set != null) {
                walk(type.name, set, Use.CONTEXT, s.requiredFields, false, where, arg.location);
            }
        }
        if (!found) {
            add(ErrorCode.CONTEXT_NOT_SET, "Context \"" + context + "\" is used at location \"" + coordinate + "("
                    + arg.name + ":)\" but is never set.", arg.location);
        }
    }

    private FieldSet parse(String fields, String code, String where, SourceLocation location) {
        try {
            return FieldSet.parse(fields);
        } catch (IllegalArgumentException e) {
            add(code, where + ": " + e.getMessage(), location);
            return null;
        }
    }

    /**
     * Checks that {@code set} selects existing fields of {@code typeName} (and below), recording each selected
     * coordinate in {@code refs}. {@code underExternal}: an ancestor selection is an {@code @external} field.
     */
    private void walk(String typeName, FieldSet set, Use use, Set<String> refs, boolean underExternal, String where,
                      SourceLocation location) {
        TypeDef type = s.type(typeName);
        for (FieldSet.Sel sel : set.selections()) {
            if (sel.isFragment()) {
                String condition = sel.typeCondition() == null ? typeName : sel.typeCondition();
                if (s.type(condition) == null) {
                    add(invalidFieldsCode(use), where + ": Unknown type \"" + condition + "\"", location);
                } else {
                    walk(condition, sel.sub(), use, refs, underExternal, where, location);
                }
                continue;
            }
            if (sel.hasDirectives()) {
                add(directiveInFieldsCode(use), where + ": cannot have directive applications in the @"
                        + use.name().toLowerCase(java.util.Locale.ROOT) + "(fields:) argument.", location);
            }
            if (sel.name().equals("__typename")) {
                continue;
            }
            FieldDef field = type == null ? null : type.fields.get(sel.name());
            if (field == null) {
                add(invalidFieldsCode(use), where + ": Cannot query field \"" + sel.name() + "\" on type \"" + typeName
                        + "\"" + (use == Use.KEY ? " (the field should either be added to this subgraph or, if it"
                        + " should not be resolved by this subgraph, you need to add it to this subgraph with"
                        + " @external)." : "."), location);
                continue;
            }
            String coordinate = typeName + "." + field.name;
            refs.add(coordinate);
            TypeDef fieldType = s.type(TypeNames.named(field.type));
            if (use == Use.KEY) {
                if (sel.hasArguments() || !field.args.isEmpty()) {
                    add(ErrorCode.KEY_FIELDS_HAS_ARGS, where + ": field " + coordinate
                            + " cannot be included because it has arguments (fields with argument are not allowed in"
                            + " @key)", location);
                }
                if (fieldType != null && (fieldType.kind == Kind.UNION || fieldType.kind == Kind.INTERFACE)) {
                    add(ErrorCode.KEY_FIELDS_SELECT_INVALID_TYPE, where + ": field \"" + coordinate + "\" is a"
                            + (fieldType.kind == Kind.UNION ? " Union" : "n Interface") + " type which is not allowed"
                            + " in @key", location);
                }
            } else if (use != Use.CONTEXT && !s.fed1 && !field.external && !underExternal && type != null
                    && sel.sub() == null && type.kind != Kind.INTERFACE) {
                boolean requires = use == Use.REQUIRES;
                add(requires ? ErrorCode.REQUIRES_FIELDS_MISSING_EXTERNAL : ErrorCode.PROVIDES_FIELDS_MISSING_EXTERNAL,
                        where + ": field \"" + coordinate + "\" should not be part of a @"
                                + (requires ? "requires" : "provides") + " since it is already "
                                + (requires ? "provided by this subgraph" : "\"effectively\" provided by this subgraph")
                                + " (it is not marked @external)", location);
            }
            boolean composite = fieldType != null && (fieldType.kind == Kind.OBJECT
                    || fieldType.kind == Kind.INTERFACE || fieldType.kind == Kind.UNION);
            if (composite && sel.sub() == null) {
                add(invalidFieldsCode(use), where + ": Field \"" + sel.name() + "\" of type \""
                        + TypeNames.print(field.type) + "\" must have a selection of subfields.", location);
            } else if (!composite && sel.sub() != null) {
                add(invalidFieldsCode(use), where + ": Field \"" + sel.name() + "\" must not have a selection since"
                        + " type \"" + TypeNames.print(field.type) + "\" has no subfields.", location);
            } else if (composite) {
                walk(fieldType.name, sel.sub(), use, refs, underExternal || field.external, where, location);
            }
        }
    }

    private static String directiveInFieldsCode(Use use) {
        return switch (use) {
            case KEY -> ErrorCode.KEY_DIRECTIVE_IN_FIELDS_ARG;
            case REQUIRES -> ErrorCode.REQUIRES_DIRECTIVE_IN_FIELDS_ARG;
            case PROVIDES -> ErrorCode.PROVIDES_DIRECTIVE_IN_FIELDS_ARG;
            case CONTEXT -> ErrorCode.CONTEXT_INVALID_SELECTION;
        };
    }

    private static String invalidFieldsCode(Use use) {
        return switch (use) {
            case KEY -> ErrorCode.KEY_INVALID_FIELDS;
            case REQUIRES -> ErrorCode.REQUIRES_INVALID_FIELDS;
            case PROVIDES -> ErrorCode.PROVIDES_INVALID_FIELDS;
            case CONTEXT -> ErrorCode.CONTEXT_INVALID_SELECTION;
        };
    }

    private void checkExternals(TypeDef type) {
        List<String> unused = new ArrayList<>();
        for (FieldDef field : type.fields.values()) {
            if (!field.external) {
                continue;
            }
            if (type.kind == Kind.INTERFACE) {
                if (s.fed1) {
                    field.external = false;
                } else {
                    add(ErrorCode.EXTERNAL_ON_INTERFACE, "Interface type field \"" + type.name + "." + field.name
                            + "\" is marked @external but @external is not allowed on interface fields (it is"
                            + " nonsensical).", field.location);
                }
            }
            if (s.fed1 && type.kind == Kind.INTERFACE) {
                continue;
            }
            String coordinate = type.name + "." + field.name;
            if (s.keyFields.contains(coordinate) || s.requiredFields.contains(coordinate)
                    || s.providedFields.contains(coordinate) || satisfiesInterface(type, field.name)) {
                continue;
            }
            if (s.fed1) {
                unused.add(field.name);
            } else {
                add(ErrorCode.EXTERNAL_UNUSED, "Field \"" + coordinate + "\" is marked @external but is not used in"
                        + " any federation directive (@key, @provides, @requires) or to satisfy an interface; the field"
                        + " declaration has no use and should be removed (or the field should not be @external).",
                        field.location);
            }
        }
        unused.forEach(type.fields::remove);
    }

    /**
     * An object has every field of the interfaces it implements (GraphQL validity); an entity interface's keys are on
     * every implementation; {@code @interfaceObject} is for entities; {@code @override}/{@code @shareable} are not for
     * interface fields.
     */
    private void checkInterfaces(TypeDef type) {
        if (type.interfaceObject && type.keys.isEmpty()) {
            add(ErrorCode.INTERFACE_OBJECT_USAGE_ERROR, "The @interfaceObject directive can only be applied to entity"
                    + " types but type \"" + type.name + "\" has no @key in this subgraph.", type.location);
        }
        if (type.kind == Kind.INTERFACE) {
            for (FieldDef field : type.fields.values()) {
                if (field.overrideFrom != null) {
                    add(ErrorCode.OVERRIDE_ON_INTERFACE, "@override cannot be used on field \"" + type.name + "."
                            + field.name + "\" on subgraph \"" + s.name + "\": @override is not supported on interface"
                            + " type fields.", field.location);
                }
                if (field.shareable) {
                    add(ErrorCode.INVALID_SHAREABLE_USAGE, "Invalid use of @shareable on field \"" + type.name + "."
                            + field.name + "\": only object type fields can be marked with @shareable", field.location);
                }
            }
            return;
        }
        for (String ifaceName : type.interfaces) {
            TypeDef iface = s.type(ifaceName);
            if (iface == null || iface.kind != Kind.INTERFACE) {
                continue;
            }
            for (String fieldName : iface.fields.keySet()) {
                if (!type.fields.containsKey(fieldName)) {
                    add(ErrorCode.INVALID_GRAPHQL, "Interface field " + ifaceName + "." + fieldName + " expected but "
                            + type.name + " does not provide it.", type.location);
                }
            }
            for (Key key : iface.keys) {
                boolean found = false;
                for (Key own : type.keys) {
                    found |= own.selection().print().equals(key.selection().print());
                }
                if (!found) {
                    add(ErrorCode.INTERFACE_KEY_NOT_ON_IMPLEMENTATION, "Key @key(fields: \"" + key.fields()
                            + "\") on interface type \"" + ifaceName + "\" is missing on implementation type \""
                            + type.name + "\".", type.location);
                }
            }
        }
    }

    private boolean satisfiesInterface(TypeDef type, String fieldName) {
        for (String iface : type.interfaces) {
            TypeDef def = s.type(iface);
            if (def != null && def.fields.containsKey(fieldName)) {
                return true;
            }
        }
        return false;
    }

    private void add(String code, String message, SourceLocation location) {
        errors.add(new CompositionError(code, "[" + s.name + "] " + message, s.name,
                location == null ? 0 : location.getLine(), location == null ? 0 : location.getColumn()));
    }
}
