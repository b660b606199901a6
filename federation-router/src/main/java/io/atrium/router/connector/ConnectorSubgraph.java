package io.atrium.router.connector;

import io.atrium.router.supergraph.Subgraph;
import io.atrium.router.supergraph.Supergraph;
import java.util.HashMap;
import java.util.Map;

/**
 * A subgraph the router answers itself: its place in the supergraph (types and fields as the planner sees them)
 * and the resolvers a protocol (REST {@code @connect}, gRPC) built for it.
 */
public final class ConnectorSubgraph {

    private final Supergraph supergraph;
    private final Subgraph subgraph;
    private final Map<String, FieldResolver> fields;
    private final Map<String, EntityResolver> entities;
    /** {@link #fields} by type, then field: looked up per field and object without building a coordinate string. */
    private final Map<String, Map<String, FieldResolver>> byType;

    /**
     * @param fields   {@code "Type.field"} → the resolver of that field (root fields and fields needing a backend call)
     * @param entities entity type → its resolver; an entity type without one is answered from the representation
     *                 alone (its other fields then come from field resolvers using the key fields, as {@code $this} does)
     */
    public ConnectorSubgraph(Supergraph supergraph, Subgraph subgraph, Map<String, FieldResolver> fields,
                             Map<String, EntityResolver> entities) {
        this.supergraph = supergraph;
        this.subgraph = subgraph;
        this.fields = Map.copyOf(fields);
        this.entities = Map.copyOf(entities);
        Map<String, Map<String, FieldResolver>> index = new HashMap<>();
        this.fields.forEach((coordinate, resolver) -> {
            int dot = coordinate.indexOf('.');
            index.computeIfAbsent(coordinate.substring(0, dot), t -> new HashMap<>())
                    .put(coordinate.substring(dot + 1), resolver);
        });
        this.byType = Map.copyOf(index);
    }

    public Supergraph supergraph() {
        return supergraph;
    }

    public Subgraph subgraph() {
        return subgraph;
    }

    public Map<String, FieldResolver> fields() {
        return fields;
    }

    public Map<String, EntityResolver> entities() {
        return entities;
    }

    /** The resolver of {@code type.field}, or null. */
    public FieldResolver resolver(String type, String field) {
        Map<String, FieldResolver> ofType = byType.get(type);
        return ofType == null ? null : ofType.get(field);
    }
}
