package io.atrium.router.compose.internal;

import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.ErrorCode;
import io.atrium.router.compose.internal.FieldMerger.FieldSrc;
import io.atrium.router.compose.internal.MergedSchema.MField;
import io.atrium.router.compose.internal.MergedSchema.MType;
import io.atrium.router.compose.internal.SubgraphModel.FieldDef;
import io.atrium.router.compose.internal.SubgraphModel.Key;
import io.atrium.router.compose.internal.SubgraphModel.Kind;
import io.atrium.router.compose.internal.SubgraphModel.TypeDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Merges the subgraphs' types into a {@link MergedSchema}: one pass per type, each field once. */
final class Merger {
    /** One subgraph's definition of a type. */
    record Src(SubgraphModel s, TypeDef t) {
    }

    private final MergeSupport support;
    private final MergedSchema out;
    private final FieldMerger fields;
    private final LeafMerger leaves;

    private Merger(List<SubgraphModel> subgraphs, List<CompositionError> errors) {
        this.support = new MergeSupport(subgraphs, errors);
        this.out = new MergedSchema(subgraphs);
        this.fields = new FieldMerger(support, out);
        this.leaves = new LeafMerger(support, out);
    }

    static MergedSchema merge(List<SubgraphModel> subgraphs, List<CompositionError> errors) {
        return new Merger(subgraphs, errors).run();
    }

    private MergedSchema run() {
        Map<String, List<Src>> byName = new LinkedHashMap<>();
        for (SubgraphModel s : support.subgraphs) {
            s.directiveDefinitions.forEach((name, definition) -> {
                if (s.composeDirectives.contains(name)) {
                    out.customDirectiveDefinitions.putIfAbsent(name, Printer.directiveDefinition(definition));
                    String url = s.linkOfDirective.get(name);
                    if (url != null) {
                        out.customLinks.add("@link(url: " + Values.quote(url) + ", import: [" + Values.quote("@" + name)
                                + "])");
                    }
                }
            });
            for (TypeDef t : s.types.values()) {
                byName.computeIfAbsent(t.name, k -> new ArrayList<>()).add(new Src(s, t));
            }
        }
        if (!byName.containsKey("Query") || allEmpty(byName.get("Query"))) {
            support.errors.add(new CompositionError(ErrorCode.NO_QUERIES, "No queries found in any subgraph: a"
                    + " supergraph must have a query root type.", null, 0, 0));
            return out;
        }
        checkFed1ExtensionsHaveBase(byName);
        if (!support.errors.isEmpty()) {
            return out;
        }
        leaves.collectEnumUsage();
        for (Map.Entry<String, List<Src>> entry : byName.entrySet()) {
            Kind kind = kind(entry.getKey(), entry.getValue());
            if (kind == null) {
                continue;
            }
            MType type = new MType(entry.getKey(), kind);
            out.types.put(type.name, type);
            switch (kind) {
                case OBJECT, INTERFACE -> mergeComposite(type, entry.getValue());
                case UNION -> leaves.mergeUnion(type, entry.getValue());
                case ENUM -> leaves.mergeEnum(type, entry.getValue());
                case INPUT_OBJECT -> leaves.mergeInput(type, entry.getValue());
                case SCALAR -> leaves.mergeScalar(type, entry.getValue());
            }
        }
        addInterfaceObjectFields(byName);
        checkInterfaceImplementations(byName);
        out.hasMutation = out.types.containsKey("Mutation");
        out.hasSubscription = out.types.containsKey("Subscription");
        return out;
    }

    private static boolean allEmpty(List<Src> sources) {
        for (Src src : sources) {
            if (!src.t().fields.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** A Federation 1 subgraph may only extend (extend type, @extends) a type some subgraph defines. */
    private void checkFed1ExtensionsHaveBase(Map<String, List<Src>> byName) {
        for (Map.Entry<String, List<Src>> entry : byName.entrySet()) {
            if (List.of("Query", "Mutation", "Subscription").contains(entry.getKey())) {
                continue;
            }
            boolean hasBase = false;
            for (Src src : entry.getValue()) {
                hasBase |= !src.t().extension && !src.t().extendsDirective;
            }
            if (hasBase) {
                continue;
            }
            for (Src src : entry.getValue()) {
                if (src.s().fed1) {
                    support.errors.add(new CompositionError(ErrorCode.EXTENSION_WITH_NO_BASE, "[" + src.s().name
                            + "] Type \"" + entry.getKey() + "\" is an extension type, but there is no type definition"
                            + " for \"" + entry.getKey() + "\" in any subgraph.", src.s().name,
                            src.t().location == null ? 0 : src.t().location.getLine(),
                            src.t().location == null ? 0 : src.t().location.getColumn()));
                }
            }
        }
    }

    /** The supergraph kind; an {@code @interfaceObject} object merges into an interface. Null on mismatch. */
    private Kind kind(String name, List<Src> sources) {
        Kind kind = null;
        for (Src src : sources) {
            Kind k = src.t().interfaceObject ? Kind.INTERFACE : src.t().kind;
            if (kind != null && kind != k) {
                Map<String, List<String>> byKind = new LinkedHashMap<>();
                for (Src s : sources) {
                    byKind.computeIfAbsent(describe(s.t()), ignored -> new ArrayList<>()).add(s.s().name);
                }
                List<String> parts = new ArrayList<>();
                byKind.forEach((described, names) -> parts.add(described + " in subgraph"
                        + (names.size() > 1 ? "s " : " ") + MergeSupport.quoted(names)));
                support.errors.add(new CompositionError(ErrorCode.TYPE_KIND_MISMATCH, "Type \"" + name
                        + "\" has mismatched kind: it is defined as " + String.join(" but ", parts), src.s().name,
                        src.t().location == null ? 0 : src.t().location.getLine(),
                        src.t().location == null ? 0 : src.t().location.getColumn()));
                return null;
            }
            kind = k;
        }
        return kind;
    }

    private static String describe(TypeDef t) {
        return switch (t.kind) {
            case OBJECT -> "Object Type";
            case INTERFACE -> "Interface Type";
            case UNION -> "Union Type";
            case ENUM -> "Enum Type";
            case INPUT_OBJECT -> "InputObject Type";
            case SCALAR -> "Scalar Type";
        };
    }

    private void mergeComposite(MType type, List<Src> sources) {
        List<Src> typeSources = new ArrayList<>(sources);
        if (type.name.equals("Query")) {
            typeSources = new ArrayList<>();
            for (SubgraphModel s : support.subgraphs) {
                typeSources.add(new Src(s, s.type("Query")));
            }
        }
        List<SubgraphModel> typeGraphs = new ArrayList<>();
        List<String> joinTypes = new ArrayList<>();
        List<String> implementsJoins = new ArrayList<>();
        Decorations decorations = new Decorations();
        List<String> contexts = new ArrayList<>();
        List<List<SubgraphModel.Applied>> applied = new ArrayList<>();
        for (Src src : typeSources) {
            typeGraphs.add(src.s());
            TypeDef t = src.t();
            if (t == null) {
                joinTypes.add("@join__type(graph: " + src.s().graphEnum + ")");
                continue;
            }
            joinTypes.addAll(joinTypes(src.s(), t));
            for (String iface : t.interfaces) {
                if (!type.implementz.contains(iface)) {
                    type.implementz.add(iface);
                }
                implementsJoins.add("@join__implements(graph: " + src.s().graphEnum + ", interface: "
                        + Values.quote(iface) + ")");
            }
            decorations.add(t.description, null, t.inaccessible, t.tags);
            for (String context : t.contexts) {
                contexts.add("@context(name: " + Values.quote(src.s().name + "__" + context) + ")");
                out.features.add("context");
            }
            applied.add(t.applied);
        }
        type.description = decorations.description();
        type.directives.addAll(implementsJoins);
        type.directives.addAll(joinTypes);
        decorations.addInaccessibleAndTags(type.directives, out);
        type.directives.addAll(contexts);
        CarriedDirectives.carry(out, applied, type.directives);
        for (Src src : typeSources) {
            if (src.t() != null) {
                ConnectDirectives.carry(src.s(), src.t().applied, type.directives);
            }
        }

        Map<String, List<FieldSrc>> byField = new LinkedHashMap<>();
        for (Src src : typeSources) {
            if (src.t() == null) {
                continue;
            }
            for (FieldDef f : src.t().fields.values()) {
                byField.computeIfAbsent(f.name, k -> new ArrayList<>()).add(new FieldSrc(src.s(), src.t(), f));
            }
        }
        boolean onInterface = type.kind == Kind.INTERFACE;
        for (Map.Entry<String, List<FieldSrc>> entry : byField.entrySet()) {
            MField field = fields.merge(type.name, entry.getKey(), entry.getValue(), typeGraphs, onInterface);
            if (field != null) {
                type.fields.put(field.name, field);
            }
        }
    }

    private static List<String> joinTypes(SubgraphModel s, TypeDef t) {
        // only entities are marked: by @extends in Federation 1, by @extends or `extend type` in Federation 2
        boolean extension = !t.keys.isEmpty() && (s.fed1 ? t.extendsDirective : t.extension || t.extendsDirective);
        String suffix = (extension ? ", extension: true" : "") + (t.interfaceObject ? ", isInterfaceObject: true" : "");
        List<String> joins = new ArrayList<>();
        if (t.keys.isEmpty()) {
            joins.add("@join__type(graph: " + s.graphEnum + suffix + ")");
            return joins;
        }
        for (Key key : t.keys) {
            joins.add("@join__type(graph: " + s.graphEnum + ", key: " + Values.quote(key.fields().strip()) + suffix
                    + (key.resolvable() ? "" : ", resolvable: false") + ")");
        }
        return joins;
    }

    /**
     * Fields an {@code @interfaceObject} adds to an interface exist on every implementation too; no subgraph
     * resolves them there directly, so they carry a bare {@code @join__field}.
     */
    private void addInterfaceObjectFields(Map<String, List<Src>> byName) {
        for (MType iface : out.types.values()) {
            if (iface.kind != Kind.INTERFACE) {
                continue;
            }
            Set<String> fromObjects = new LinkedHashSet<>();
            for (Src src : byName.get(iface.name)) {
                if (src.t().interfaceObject) {
                    fromObjects.addAll(src.t().fields.keySet());
                }
            }
            if (fromObjects.isEmpty()) {
                continue;
            }
            for (MType object : out.types.values()) {
                if (object.kind != Kind.OBJECT || !object.implementz.contains(iface.name)) {
                    continue;
                }
                for (String name : fromObjects) {
                    MField field = iface.fields.get(name);
                    if (field == null || object.fields.containsKey(name)) {
                        continue;
                    }
                    MField copy = new MField(name, field.type);
                    copy.description = field.description;
                    copy.args.addAll(field.args);
                    copy.directives.add("@join__field");
                    object.fields.put(name, copy);
                }
            }
        }
    }

    /** Every object implementing an interface has each of the interface's merged fields. */
    private void checkInterfaceImplementations(Map<String, List<Src>> byName) {
        for (MType object : out.types.values()) {
            for (String ifaceName : object.implementz) {
                MType iface = out.types.get(ifaceName);
                if (iface == null) {
                    continue;
                }
                for (String field : iface.fields.keySet()) {
                    if (!object.fields.containsKey(field)) {
                        interfaceFieldNotImplemented(byName, ifaceName, field, object.name);
                    }
                }
            }
        }
    }

    private void interfaceFieldNotImplemented(Map<String, List<Src>> byName, String iface, String field,
                                              String object) {
        List<String> declaredIn = new ArrayList<>();
        for (Src src : byName.get(iface)) {
            if (src.t().fields.containsKey(field)) {
                declaredIn.add(src.s().name);
            }
        }
        List<String> implementsIn = new ArrayList<>();
        Src at = null;
        for (Src src : byName.get(object)) {
            if (src.t().interfaces.contains(iface)) {
                implementsIn.add(src.s().name);
                at = at == null ? src : at;
            }
        }
        support.errors.add(new CompositionError(ErrorCode.INTERFACE_FIELD_NO_IMPLEM, "Interface field \"" + iface + "."
                + field + "\" is declared in subgraph" + (declaredIn.size() > 1 ? "s " : " ")
                + MergeSupport.quoted(declaredIn) + " but type \"" + object + "\", which implements \"" + iface
                + "\" only in subgraph" + (implementsIn.size() > 1 ? "s " : " ") + MergeSupport.quoted(implementsIn)
                + " does not have field \"" + field + "\".", at == null ? null : at.s().name,
                at == null || at.t().location == null ? 0 : at.t().location.getLine(),
                at == null || at.t().location == null ? 0 : at.t().location.getColumn()));
    }

}
