package io.atrium.router.connector;

import io.atrium.router.supergraph.Subgraph;
import io.atrium.router.supergraph.Supergraph;
import java.util.Map;

/**
 * A subgraph the router answers itself: its place in the supergraph (types and fields as the planner sees them)
 * and the resolvers a protocol (REST {@code @connect}, gRPC) built for it.
 *
 * @param fields   {@code "Type.field"} → the resolver of that field (root fields and fields needing a backend call)
 * @param entities entity type → its resolver; an entity type without one is answered from the representation alone
 *                 (its other fields then come from field resolvers using the key fields, as {@code $this} does)
 */
public record ConnectorSubgraph(Supergraph supergraph, Subgraph subgraph, Map<String, FieldResolver> fields,
                                Map<String, EntityResolver> entities) {
    public ConnectorSubgraph {
        fields = Map.copyOf(fields);
        entities = Map.copyOf(entities);
    }
}
