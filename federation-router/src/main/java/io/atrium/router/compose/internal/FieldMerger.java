package io.atrium.router.compose.internal;

import graphql.language.Type;
import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.ErrorCode;
import io.atrium.router.compose.internal.MergedSchema.MArg;
import io.atrium.router.compose.internal.MergedSchema.MField;
import io.atrium.router.compose.internal.SubgraphModel.ArgDef;
import io.atrium.router.compose.internal.SubgraphModel.FieldDef;
import io.atrium.router.compose.internal.SubgraphModel.TypeDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges one field of an object or interface type over the subgraphs that define it: its type (most general),
 * arguments (intersection), {@code @shareable} and {@code @override} rules, and the {@code @join__field}s the
 * router needs to know which subgraph resolves it and how.
 */
final class FieldMerger {
    /** One subgraph's definition of the field. */
    record FieldSrc(SubgraphModel s, TypeDef t, FieldDef f) {
    }

    private final MergeSupport support;
    private final MergedSchema out;

    FieldMerger(MergeSupport support, MergedSchema out) {
        this.support = support;
        this.out = out;
    }

    /**
     * @param typeGraphs  the subgraphs that define the parent type (every subgraph for Query)
     * @param onInterface the supergraph type is an interface (no sharing rules)
     */
    MField merge(String typeName, String fieldName, List<FieldSrc> sources, List<SubgraphModel> typeGraphs,
                 boolean onInterface) {
        String coordinate = typeName + "." + fieldName;
        Map<SubgraphModel, String> labels = new LinkedHashMap<>();
        Set<SubgraphModel> dropped = new HashSet<>();
        Set<SubgraphModel> usedOverridden = new HashSet<>();
        Set<SubgraphModel> labelledSources = new HashSet<>();
        overrides(coordinate, sources, labels, dropped, usedOverridden, labelledSources);

        List<FieldSrc> active = new ArrayList<>();
        for (FieldSrc src : sources) {
            if (!dropped.contains(src.s())) {
                active.add(src);
            }
        }
        Type<?> merged = mergedType(coordinate, sources);
        if (merged == null) {
            return null;
        }
        String mergedText = TypeNames.print(merged);
        boolean typesDiffer = false;
        for (FieldSrc src : sources) {
            typesDiffer |= !TypeNames.print(src.f().type).equals(mergedText);
        }
        if (!onInterface) {
            Set<SubgraphModel> notResolving = new HashSet<>(labelledSources);
            notResolving.addAll(usedOverridden);
            checkSharing(coordinate, active, notResolving);
        }
        checkExternalOnly(coordinate, sources);

        MField field = new MField(fieldName, mergedText);
        Decorations decorations = new Decorations();
        for (FieldSrc src : sources) {
            decorations.add(src.f().description, src.f().deprecation, src.f().inaccessible, src.f().tags);
        }
        field.description = decorations.description();
        mergeArguments(coordinate, field, sources);

        List<String> joins = new ArrayList<>();
        boolean needed = active.size() != typeGraphs.size();
        for (FieldSrc src : active) {
            String args = joinArgs(src, typesDiffer, labels.get(src.s()), usedOverridden.contains(src.s()));
            // an @override from a subgraph that does not exist is printed but overrides nothing
            boolean onlyUnknownOverride = src.f().overrideFrom != null && !support.hasSubgraph(src.f().overrideFrom)
                    && args.equals(", override: " + Values.quote(src.f().overrideFrom));
            needed |= !args.isEmpty() && !onlyUnknownOverride;
            joins.add("@join__field(graph: " + src.s().graphEnum + args + ")");
        }
        if (active.isEmpty()) {
            joins.add("@join__field");
            needed = true;
        }
        if (needed) {
            field.directives.addAll(joins);
        }
        decorations.addInaccessibleAndTags(field.directives, out);
        decorations.addDeprecation(field.directives);
        CarriedDirectives.carry(out, collectApplied(sources), field.directives);
        sources.forEach(src -> ConnectDirectives.carry(src.s(), src.f().applied, field.directives));
        return field;
    }

    private static List<List<SubgraphModel.Applied>> collectApplied(List<FieldSrc> sources) {
        List<List<SubgraphModel.Applied>> all = new ArrayList<>();
        sources.forEach(src -> all.add(src.f().applied));
        return all;
    }

    private void overrides(String coordinate, List<FieldSrc> sources, Map<SubgraphModel, String> labels,
                           Set<SubgraphModel> dropped, Set<SubgraphModel> usedOverridden,
                           Set<SubgraphModel> labelledSources) {
        for (FieldSrc target : sources) {
            String from = target.f().overrideFrom;
            if (from == null || from.equals(target.s().name)) {
                continue;
            }
            FieldSrc source = null;
            for (FieldSrc candidate : sources) {
                if (candidate.s().name.equals(from)) {
                    source = candidate;
                }
            }
            if (source == null || source.f().external) {
                continue;
            }
            if (source.f().overrideFrom != null) {
                support.errors.add(error(ErrorCode.OVERRIDE_SOURCE_HAS_OVERRIDE, target, "Field \"" + coordinate
                        + "\" on subgraph \"" + target.s().name + "\" is also marked with directive @override in"
                        + " subgraph \"" + source.s().name + "\". Only one @override directive is allowed per field."));
                continue;
            }
            if (target.f().overrideLabel != null) {
                labels.put(source.s(), target.f().overrideLabel);
                labelledSources.add(source.s());
            } else if (usedBy(source, coordinate)) {
                usedOverridden.add(source.s());
            } else {
                dropped.add(source.s());
            }
        }
    }

    /** The overridden subgraph still needs its field: a key, @requires or @provides selects it, or an interface. */
    private static boolean usedBy(FieldSrc source, String coordinate) {
        SubgraphModel s = source.s();
        if (s.keyFields.contains(coordinate) || s.requiredFields.contains(coordinate)
                || s.providedFields.contains(coordinate)) {
            return true;
        }
        for (String iface : source.t().interfaces) {
            TypeDef def = s.type(iface);
            if (def != null && def.fields.containsKey(source.f().name)) {
                return true;
            }
        }
        return false;
    }

    private Type<?> mergedType(String coordinate, List<FieldSrc> sources) {
        Type<?> merged = null;
        for (FieldSrc src : sources) {
            if (src.f().external) {
                continue;
            }
            merged = merged == null ? src.f().type : support.generalOutput(merged, src.f().type);
            if (merged == null) {
                support.errors.add(error(ErrorCode.FIELD_TYPE_MISMATCH, src, "Type of field \"" + coordinate
                        + "\" is incompatible across subgraphs: it has " + typesBySubgraph(sources, false)));
                return null;
            }
        }
        if (merged == null) {
            merged = sources.getFirst().f().type;
        }
        for (FieldSrc src : sources) {
            if (src.f().external && support.generalOutput(merged, src.f().type) == null) {
                support.errors.add(error(ErrorCode.EXTERNAL_TYPE_MISMATCH, src, "Type of field \"" + coordinate
                        + "\" is incompatible across subgraphs (where marked @external): it has "
                        + typesBySubgraph(sources, true)));
                return null;
            }
        }
        return merged;
    }

    private static String typesBySubgraph(List<FieldSrc> sources, boolean withExternal) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (FieldSrc src : sources) {
            if (withExternal || !src.f().external) {
                byType.computeIfAbsent(TypeNames.print(src.f().type), k -> new ArrayList<>()).add(src.s().name);
            }
        }
        List<String> parts = new ArrayList<>();
        byType.forEach((type, names) -> parts.add("type \"" + type + "\" in subgraph"
                + (names.size() > 1 ? "s " : " ") + MergeSupport.quoted(names)));
        return String.join(" but ", parts);
    }

    private void checkSharing(String coordinate, List<FieldSrc> active, Set<SubgraphModel> labelledSources) {
        List<FieldSrc> resolving = new ArrayList<>();
        for (FieldSrc src : active) {
            // an @external field a subgraph @provides is resolved there too (for the queries through the provider)
            boolean provided = src.f().external && src.s().providedFields.contains(coordinate);
            if ((!src.f().external || provided) && !labelledSources.contains(src.s())) {
                resolving.add(src);
            }
        }
        if (resolving.size() < 2) {
            return;
        }
        List<String> all = new ArrayList<>();
        List<String> nonShareable = new ArrayList<>();
        for (FieldSrc src : resolving) {
            all.add(src.s().name);
            boolean shareable = src.f().external || src.f().shareable || src.t().shareable || src.s().fed1
                    || src.s().keyFields.contains(coordinate);
            if (!shareable) {
                nonShareable.add(src.s().name);
            }
        }
        if (!nonShareable.isEmpty()) {
            support.errors.add(new CompositionError(ErrorCode.INVALID_FIELD_SHARING, "Non-shareable field \""
                    + coordinate + "\" is resolved from multiple subgraphs: it is resolved from subgraphs "
                    + MergeSupport.quoted(all) + " and defined as non-shareable in "
                    + (nonShareable.size() == all.size() ? "all of them" : "subgraph"
                    + (nonShareable.size() > 1 ? "s " : " ") + MergeSupport.quoted(nonShareable)),
                    nonShareable.getFirst(), line(resolving, nonShareable.getFirst()),
                    column(resolving, nonShareable.getFirst())));
        }
    }

    private void checkExternalOnly(String coordinate, List<FieldSrc> sources) {
        for (FieldSrc src : sources) {
            if (!src.f().external) {
                return;
            }
        }
        if (sources.getFirst().t().interfaceObject) {
            return;
        }
        support.errors.add(error(ErrorCode.EXTERNAL_MISSING_ON_BASE, sources.getFirst(), "Field \"" + coordinate
                + "\" is marked @external on all the subgraphs in which it is listed (subgraph"
                + (sources.size() > 1 ? "s " : " ") + MergeSupport.quoted(MergeSupport.names(
                sources.stream().map(FieldSrc::s).toList())) + ")."));
    }

    /** Arguments are intersected over every non-external definition, overridden ones included (as Apollo does). */
    private void mergeArguments(String coordinate, MField field, List<FieldSrc> sources) {
        List<FieldSrc> resolving = new ArrayList<>();
        for (FieldSrc src : sources) {
            if (!src.f().external) {
                resolving.add(src);
            }
        }
        if (resolving.isEmpty()) {
            resolving = sources;
        }
        LinkedHashMap<String, List<ArgDef>> byName = new LinkedHashMap<>();
        for (FieldSrc src : resolving) {
            for (ArgDef arg : src.f().args.values()) {
                if (arg.fromContext == null) {
                    byName.computeIfAbsent(arg.name, k -> new ArrayList<>()).add(arg);
                }
            }
        }
        for (Map.Entry<String, List<ArgDef>> entry : byName.entrySet()) {
            List<ArgDef> defs = entry.getValue();
            if (defs.size() < resolving.size()) {
                for (FieldSrc src : resolving) {
                    ArgDef arg = src.f().args.get(entry.getKey());
                    if (arg != null && TypeNames.isNonNull(arg.type) && arg.defaultValue == null) {
                        support.errors.add(error(ErrorCode.REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH, src,
                                "Argument \"" + coordinate + "(" + arg.name + ":)\" is required in some subgraphs but"
                                        + " does not appear in all subgraphs: it is required in subgraph \""
                                        + src.s().name + "\" but does not appear in " + missing(resolving, arg.name)));
                        break;
                    }
                }
                continue;
            }
            MArg arg = mergeArgument(coordinate, entry.getKey(), defs, resolving);
            if (arg != null) {
                field.args.add(arg);
            }
        }
    }

    private static String missing(List<FieldSrc> sources, String argName) {
        List<String> names = new ArrayList<>();
        for (FieldSrc src : sources) {
            if (!src.f().args.containsKey(argName)) {
                names.add(src.s().name);
            }
        }
        return "subgraph" + (names.size() > 1 ? "s " : " ") + MergeSupport.quoted(names);
    }

    private MArg mergeArgument(String coordinate, String name, List<ArgDef> defs, List<FieldSrc> sources) {
        Type<?> type = null;
        String defaultValue = null;
        Decorations decorations = new Decorations();
        for (int i = 0; i < defs.size(); i++) {
            ArgDef def = defs.get(i);
            type = type == null ? def.type : MergeSupport.restrictiveInput(type, def.type);
            if (type == null) {
                support.errors.add(error(ErrorCode.FIELD_ARGUMENT_TYPE_MISMATCH, sources.get(i), "Type of argument \""
                        + coordinate + "(" + name + ":)\" is incompatible across subgraphs"));
                return null;
            }
            String value = Values.print(def.defaultValue);
            if (value != null && defaultValue != null && !value.equals(defaultValue)) {
                support.errors.add(error(ErrorCode.FIELD_ARGUMENT_DEFAULT_MISMATCH, sources.get(i), "Argument \""
                        + coordinate + "(" + name + ":)\" has incompatible default values across subgraphs"));
                return null;
            }
            defaultValue = defaultValue != null ? defaultValue : value;
            decorations.add(def.description, def.deprecation, def.inaccessible, def.tags);
        }
        MArg arg = new MArg(name, TypeNames.print(type), defaultValue);
        arg.description = decorations.description();
        decorations.addInaccessibleAndTags(arg.directives, out);
        decorations.addDeprecation(arg.directives);
        return arg;
    }

    private String joinArgs(FieldSrc src, boolean typesDiffer, String overriddenLabel, boolean usedOverridden) {
        FieldDef f = src.f();
        StringBuilder args = new StringBuilder();
        if (f.requires != null) {
            args.append(", requires: ").append(Values.quote(f.requires.strip()));
        }
        if (f.provides != null) {
            args.append(", provides: ").append(Values.quote(f.provides.strip()));
        }
        if (typesDiffer) {
            args.append(", type: ").append(Values.quote(TypeNames.print(f.type)));
        }
        if (f.external) {
            args.append(", external: true");
        }
        if (f.overrideFrom != null) {
            args.append(", override: ").append(Values.quote(f.overrideFrom));
        }
        if (usedOverridden) {
            args.append(", usedOverridden: true");
        }
        String label = f.overrideFrom != null ? f.overrideLabel : overriddenLabel;
        if (label != null) {
            args.append(", overrideLabel: ").append(Values.quote(label));
        }
        String context = contextArguments(src);
        if (context != null) {
            args.append(", contextArguments: ").append(context);
        }
        return args.toString();
    }

    /** {@code [{context: "<subgraph>__<name>", name, type, selection}]} for {@code @fromContext} arguments. */
    private String contextArguments(FieldSrc src) {
        List<String> items = new ArrayList<>();
        for (ArgDef arg : src.f().args.values()) {
            if (arg.fromContext == null) {
                continue;
            }
            String value = arg.fromContext.strip();
            int end = 1;
            while (end < value.length() && (Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '_')) {
                end++;
            }
            String context = value.startsWith("$") ? value.substring(1, end) : value;
            String selection = value.startsWith("$") ? value.substring(end) : "";
            items.add("{context: " + Values.quote(src.s().name + "__" + context) + ", name: " + Values.quote(arg.name)
                    + ", type: " + Values.quote(TypeNames.print(arg.type)) + ", selection: " + Values.quote(selection)
                    + "}");
        }
        return items.isEmpty() ? null : "[" + String.join(", ", items) + "]";
    }

    private static int line(List<FieldSrc> sources, String subgraph) {
        for (FieldSrc src : sources) {
            if (src.s().name.equals(subgraph) && src.f().location != null) {
                return src.f().location.getLine();
            }
        }
        return 0;
    }

    private static int column(List<FieldSrc> sources, String subgraph) {
        for (FieldSrc src : sources) {
            if (src.s().name.equals(subgraph) && src.f().location != null) {
                return src.f().location.getColumn();
            }
        }
        return 0;
    }

    static CompositionError error(String code, FieldSrc at, String message) {
        var location = at.f().location;
        return new CompositionError(code, message, at.s().name, location == null ? 0 : location.getLine(),
                location == null ? 0 : location.getColumn());
    }
}
