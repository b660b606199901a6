package io.atrium.router.compose.internal;

import graphql.language.Type;
import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.ErrorCode;
import io.atrium.router.compose.internal.MergedSchema.MField;
import io.atrium.router.compose.internal.MergedSchema.MType;
import io.atrium.router.compose.internal.MergedSchema.MValue;
import io.atrium.router.compose.internal.Merger.Src;
import io.atrium.router.compose.internal.SubgraphModel.ArgDef;
import io.atrium.router.compose.internal.SubgraphModel.EnumValueDef;
import io.atrium.router.compose.internal.SubgraphModel.FieldDef;
import io.atrium.router.compose.internal.SubgraphModel.Kind;
import io.atrium.router.compose.internal.SubgraphModel.TypeDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges unions (union of members), enums (union for output-only, intersection for input-only, equality when
 * used both ways), input objects (intersection) and scalars.
 */
final class LeafMerger {
    private final MergeSupport support;
    private final MergedSchema out;
    private final Set<String> inputEnums = new HashSet<>();
    private final Set<String> outputEnums = new HashSet<>();

    LeafMerger(MergeSupport support, MergedSchema out) {
        this.support = support;
        this.out = out;
    }

    void collectEnumUsage() {
        for (SubgraphModel s : support.subgraphs) {
            for (TypeDef t : s.types.values()) {
                for (FieldDef f : t.fields.values()) {
                    (t.kind == Kind.INPUT_OBJECT ? inputEnums : outputEnums).add(TypeNames.named(f.type));
                    for (ArgDef arg : f.args.values()) {
                        inputEnums.add(TypeNames.named(arg.type));
                    }
                }
            }
        }
    }

    private void typeHeader(MType type, List<Src> sources) {
        Decorations decorations = new Decorations();
        List<List<SubgraphModel.Applied>> applied = new ArrayList<>();
        for (Src src : sources) {
            type.directives.add(MergeSupport.joinType(src.s(), src.t()));
            decorations.add(src.t().description, null, src.t().inaccessible, src.t().tags);
            applied.add(src.t().applied);
        }
        type.description = decorations.description();
        decorations.addInaccessibleAndTags(type.directives, out);
        CarriedDirectives.carry(out, applied, type.directives);
    }

    void mergeScalar(MType type, List<Src> sources) {
        typeHeader(type, sources);
    }

    void mergeUnion(MType type, List<Src> sources) {
        typeHeader(type, sources);
        Map<String, List<String>> graphsByMember = new LinkedHashMap<>();
        for (Src src : sources) {
            for (String member : src.t().members) {
                graphsByMember.computeIfAbsent(member, k -> new ArrayList<>()).add(src.s().graphEnum);
            }
        }
        for (Map.Entry<String, List<String>> entry : graphsByMember.entrySet()) {
            type.members.add(entry.getKey());
            for (String graph : entry.getValue()) {
                type.directives.add("@join__unionMember(graph: " + graph + ", member: " + Values.quote(entry.getKey())
                        + ")");
            }
        }
    }

    void mergeEnum(MType type, List<Src> sources) {
        typeHeader(type, sources);
        boolean input = inputEnums.contains(type.name);
        boolean output = outputEnums.contains(type.name);
        Map<String, List<EnumValueDef>> defs = new LinkedHashMap<>();
        Map<String, List<String>> graphs = new LinkedHashMap<>();
        for (Src src : sources) {
            for (EnumValueDef value : src.t().values.values()) {
                defs.computeIfAbsent(value.name, k -> new ArrayList<>()).add(value);
                graphs.computeIfAbsent(value.name, k -> new ArrayList<>()).add(src.s().graphEnum);
            }
        }
        for (Map.Entry<String, List<EnumValueDef>> entry : defs.entrySet()) {
            boolean hidden = false;
            for (EnumValueDef def : entry.getValue()) {
                hidden |= def.inaccessible;
            }
            boolean everywhere = entry.getValue().size() == sources.size() || hidden;
            if (!everywhere && input && output) {
                List<String> missing = new ArrayList<>();
                for (Src src : sources) {
                    if (!src.t().values.containsKey(entry.getKey())) {
                        missing.add(src.s().name);
                    }
                }
                Src at = sources.getFirst();
                support.errors.add(new CompositionError(ErrorCode.ENUM_VALUE_MISMATCH, "Enum type \"" + type.name
                        + "\" is used as both input type (for example, as type of an argument or input field) and"
                        + " output type, but value \"" + entry.getKey() + "\" is not defined in all the subgraphs"
                        + " defining \"" + type.name + "\": \"" + entry.getKey() + "\" is not defined in subgraph"
                        + (missing.size() > 1 ? "s " : " ") + MergeSupport.quoted(missing), missing.getFirst(),
                        line(at.t()), column(at.t())));
                continue;
            }
            if (!everywhere && input) {
                continue;
            }
            MValue value = new MValue(entry.getKey());
            Decorations decorations = new Decorations();
            List<List<SubgraphModel.Applied>> applied = new ArrayList<>();
            for (EnumValueDef def : entry.getValue()) {
                decorations.add(def.description, def.deprecation, def.inaccessible, def.tags);
                applied.add(def.applied);
            }
            value.description = decorations.description();
            decorations.addInaccessibleAndTags(value.directives, out);
            CarriedDirectives.carry(out, applied, value.directives);
            for (String graph : graphs.get(entry.getKey())) {
                value.directives.add("@join__enumValue(graph: " + graph + ")");
            }
            decorations.addDeprecation(value.directives);
            type.values.put(value.name, value);
        }
        if (type.values.isEmpty()) {
            support.errors.add(new CompositionError(ErrorCode.EMPTY_MERGED_ENUM_TYPE, "None of the values of enum type \""
                    + type.name + "\" are defined consistently in all the subgraphs defining that type. As only"
                    + " values common to all subgraphs are merged, this would result in an empty type.",
                    sources.getFirst().s().name, line(sources.getFirst().t()), column(sources.getFirst().t())));
        }
    }

    void mergeInput(MType type, List<Src> sources) {
        typeHeader(type, sources);
        Map<String, List<FieldDef>> defs = new LinkedHashMap<>();
        for (Src src : sources) {
            for (FieldDef f : src.t().fields.values()) {
                defs.computeIfAbsent(f.name, k -> new ArrayList<>()).add(f);
            }
        }
        boolean failedFields = false;
        for (Map.Entry<String, List<FieldDef>> entry : defs.entrySet()) {
            String coordinate = type.name + "." + entry.getKey();
            if (entry.getValue().size() < sources.size()) {
                for (Src src : sources) {
                    FieldDef f = src.t().fields.get(entry.getKey());
                    if (f != null && TypeNames.isNonNull(f.type) && f.defaultValue == null) {
                        support.errors.add(new CompositionError(ErrorCode.REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH,
                                "Input object field \"" + coordinate + "\" is required in some subgraphs but does not"
                                        + " appear in all subgraphs: it is required in subgraph \"" + src.s().name
                                        + "\" but does not appear in " + missingIn(sources, entry.getKey()),
                                src.s().name, line(f), column(f)));
                        break;
                    }
                }
                continue;
            }
            MField field = mergeInputField(coordinate, entry.getValue(), sources);
            if (field != null) {
                type.fields.put(field.name, field);
            } else {
                failedFields = true;
            }
        }
        if (type.fields.isEmpty() && !failedFields) {
            support.errors.add(new CompositionError(ErrorCode.EMPTY_MERGED_INPUT_TYPE, "None of the fields of input"
                    + " object type \"" + type.name + "\" are consistently defined in all the subgraphs defining that"
                    + " type. As only fields common to all subgraphs are merged, this would result in an empty type.",
                    sources.getFirst().s().name, line(sources.getFirst().t()), column(sources.getFirst().t())));
        }
    }

    private MField mergeInputField(String coordinate, List<FieldDef> defs, List<Src> sources) {
        Type<?> type = null;
        String defaultValue = null;
        Decorations decorations = new Decorations();
        boolean typesDiffer = false;
        for (int i = 0; i < defs.size(); i++) {
            FieldDef def = defs.get(i);
            Type<?> merged = type == null ? def.type : MergeSupport.restrictiveInput(type, def.type);
            if (merged == null) {
                support.errors.add(new CompositionError(ErrorCode.FIELD_TYPE_MISMATCH, "Type of field \"" + coordinate
                        + "\" is incompatible across subgraphs", sources.get(i).s().name, line(def), column(def)));
                return null;
            }
            typesDiffer |= type != null && !TypeNames.print(type).equals(TypeNames.print(def.type));
            type = merged;
            String value = Values.print(def.defaultValue);
            if (value != null && defaultValue != null && !value.equals(defaultValue)) {
                support.errors.add(new CompositionError(ErrorCode.INPUT_FIELD_DEFAULT_MISMATCH, "Input field \""
                        + coordinate + "\" has incompatible default values across subgraphs", sources.get(i).s().name,
                        line(def), column(def)));
                return null;
            }
            defaultValue = defaultValue != null ? defaultValue : value;
            decorations.add(def.description, def.deprecation, def.inaccessible, def.tags);
        }
        MField field = new MField(defs.getFirst().name, TypeNames.print(type));
        field.defaultValue = defaultValue;
        field.description = decorations.description();
        if (typesDiffer) {
            for (int i = 0; i < defs.size(); i++) {
                field.directives.add("@join__field(graph: " + sources.get(i).s().graphEnum + ", type: "
                        + Values.quote(TypeNames.print(defs.get(i).type)) + ")");
            }
        }
        decorations.addInaccessibleAndTags(field.directives, out);
        decorations.addDeprecation(field.directives);
        return field;
    }

    private static String missingIn(List<Src> sources, String fieldName) {
        List<String> names = new ArrayList<>();
        for (Src src : sources) {
            if (!src.t().fields.containsKey(fieldName)) {
                names.add(src.s().name);
            }
        }
        return "subgraph" + (names.size() > 1 ? "s " : " ") + MergeSupport.quoted(names);
    }

    private static int line(TypeDef t) {
        return t.location == null ? 0 : t.location.getLine();
    }

    private static int column(TypeDef t) {
        return t.location == null ? 0 : t.location.getColumn();
    }

    private static int line(FieldDef f) {
        return f.location == null ? 0 : f.location.getLine();
    }

    private static int column(FieldDef f) {
        return f.location == null ? 0 : f.location.getColumn();
    }
}
