package io.atrium.router.transport;

import java.util.List;
import java.util.Map;

/** A subgraph's GraphQL response: {@code data} (null when absent) and its errors as JSON objects. */
public record SubgraphResponse(Map<String, Object> data, List<Map<String, Object>> errors) {
    public SubgraphResponse {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
