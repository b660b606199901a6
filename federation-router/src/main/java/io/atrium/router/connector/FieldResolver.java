package io.atrium.router.connector;

import java.util.concurrent.CompletionStage;

/**
 * Answers one field of a connector subgraph by calling a backend (a REST {@code @connect} on a field, a gRPC method).
 * The runtime calls it once per parent object: with {@code parent == null} for root fields, with the parent object
 * (what the parent's resolver returned, or an entity representation) for fields of other types.
 */
@FunctionalInterface
public interface FieldResolver {

    /**
     * @return the field's value as JSON (maps, lists, strings, numbers, booleans, null), already shaped like the
     *         field's GraphQL type: objects keyed by field name, abstract values carrying {@code __typename}.
     *         Completes exceptionally with {@link ConnectorException} for a GraphQL error on this field.
     */
    CompletionStage<Object> resolve(FieldCall call);
}
