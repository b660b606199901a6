package io.atrium.router.transport;

import java.util.List;
import java.util.Map;

/**
 * A subgraph's GraphQL response: {@code data} (null when absent) and its errors as JSON objects.
 *
 * @param status       the HTTP status it came with (200 for transports without one); a 5xx with a GraphQL body counts
 *                     against the subgraph's circuit breaker and outlier detection and may be retried
 * @param cacheControl its {@code Cache-Control} header as sent (a connector subgraph: its backend calls' policies
 *                     merged); null when it sent none — then the client's answer is not cacheable
 */
public record SubgraphResponse(Map<String, Object> data, List<Map<String, Object>> errors, int status,
                               String cacheControl) {
    public SubgraphResponse {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public SubgraphResponse(Map<String, Object> data, List<Map<String, Object>> errors, int status) {
        this(data, errors, status, null);
    }

    public SubgraphResponse(Map<String, Object> data, List<Map<String, Object>> errors) {
        this(data, errors, 200, null);
    }

    /** A deep copy of {@code data} and {@code errors}: for each of several callers that merge into (mutate) one answer. */
    public SubgraphResponse copy() {
        @SuppressWarnings("unchecked")
        Map<String, Object> dataCopy = (Map<String, Object>) deepCopy(data);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errorsCopy = (List<Map<String, Object>>) deepCopy(errors);
        return new SubgraphResponse(dataCopy, errorsCopy, status, cacheControl);
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(map.size() * 4 / 3 + 1);
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new java.util.ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(deepCopy(item));
            }
            return copy;
        }
        return value;
    }
}
