package io.atrium.router.connector;

import java.util.List;
import java.util.Map;

/**
 * One call of an {@link EntityResolver}.
 *
 * @param typeName        the entity type
 * @param representations the representations of this call ({@code __typename} and key fields, JSON objects)
 * @param context         what the whole subgraph request shares
 */
public record EntityCall(String typeName, List<Map<String, Object>> representations, CallContext context) {
    public EntityCall {
        representations = List.copyOf(representations);
    }
}
