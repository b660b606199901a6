package io.atrium.router.supergraph;

import graphql.schema.GraphQLSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, validated supergraph: per-subgraph metadata for planning and the API schema for clients.
 *
 * @param version  a digest of the SDL; caches key on it
 * @param subgraphs subgraph enum value → subgraph, in supergraph order
 */
public record Supergraph(
        String version,
        String sdl,
        Map<String, Subgraph> subgraphs,
        Map<String, TypeMeta> types,
        String queryType,
        String mutationType,
        String subscriptionType,
        GraphQLSchema apiSchema,
        java.util.Set<String> fieldNames) {

    public Supergraph {
        subgraphs = Collections.unmodifiableMap(new LinkedHashMap<>(subgraphs));
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        fieldNames = java.util.Set.copyOf(fieldNames);
    }

    /**
     * The key a client field has in subgraph operations and in the merged response tree. An alias that is the
     * name of some field (e.g. {@code id: name}) could collide with fields the router adds for keys and
     * {@code @requires}, so it is sent as {@code alias__name}; the client still sees its alias.
     */
    public String dataKey(String alias, String name) {
        if (alias == null || alias.equals(name)) {
            return name;
        }
        return fieldNames.contains(alias) || alias.equals("__typename") ? alias + "__" + name : alias;
    }

    /**
     * The inverse of {@link #dataKey}: the client's response key for a key of the merged tree or of a subgraph
     * response ({@code alias__name} → {@code alias}); any other key is returned as is.
     */
    public String responseKey(String dataKey) {
        if (dataKey.startsWith("__typename__") && fieldNames.contains(dataKey.substring(12))) {
            return "__typename";
        }
        for (int i = dataKey.indexOf("__", 1); i > 0; i = dataKey.indexOf("__", i + 1)) {
            String alias = dataKey.substring(0, i);
            if (fieldNames.contains(alias) && fieldNames.contains(dataKey.substring(i + 2))) {
                return alias;
            }
        }
        return dataKey;
    }

    public TypeMeta type(String name) {
        return types.get(name);
    }

    public Subgraph subgraph(String graphEnum) {
        return subgraphs.get(graphEnum);
    }

    /** Subgraph by its name ({@code @join__graph(name:)}), or null. */
    public Subgraph subgraphNamed(String name) {
        for (Subgraph subgraph : subgraphs.values()) {
            if (subgraph.name().equals(name)) {
                return subgraph;
            }
        }
        return null;
    }

    /** Object types a value of {@code typeName} can be at runtime, in supergraph order. */
    public List<String> possibleTypes(String typeName) {
        TypeMeta type = types.get(typeName);
        if (type == null) {
            return List.of();
        }
        return switch (type.kind()) {
            case OBJECT -> List.of(typeName);
            case INTERFACE, UNION -> type.members();
            default -> List.of();
        };
    }

    /** Object types a value of {@code typeName} can be when it comes from {@code graph}. */
    public List<String> possibleTypesIn(String typeName, String graph) {
        TypeMeta type = types.get(typeName);
        if (type == null) {
            return List.of();
        }
        if (type.kind() == TypeKind.OBJECT) {
            return type.definedIn(graph) ? List.of(typeName) : List.of();
        }
        if (type.kind() == TypeKind.UNION) {
            return List.copyOf(type.membersIn().getOrDefault(graph, java.util.Set.of()));
        }
        List<String> result = new ArrayList<>();
        for (String member : type.members()) {
            TypeMeta object = types.get(member);
            if (object.implementsIn().getOrDefault(graph, java.util.Set.of()).contains(typeName)) {
                result.add(member);
            }
        }
        return result;
    }

    /** True when a value of object type {@code objectType} matches type condition {@code condition}. */
    public boolean isSubtype(String objectType, String condition) {
        if (objectType.equals(condition)) {
            return true;
        }
        TypeMeta cond = types.get(condition);
        return cond != null && cond.kind().isAbstract() && cond.members().contains(objectType);
    }
}
