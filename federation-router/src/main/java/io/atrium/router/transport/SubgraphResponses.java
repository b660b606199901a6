package io.atrium.router.transport;

import io.atrium.policy.resilience.AttemptOutcome;
import io.atrium.router.json.Json;
import io.atrium.router.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a subgraph's HTTP response body as a GraphQL response, whatever the transport. */
final class SubgraphResponses {
    private SubgraphResponses() {
    }

    /** Several {@code Cache-Control} fields are one list (RFC 9110, 5.3); null when there is none. */
    static String cacheControl(List<String> fields) {
        return fields.isEmpty() ? null : fields.size() == 1 ? fields.getFirst() : String.join(", ", fields);
    }

    /**
     * The body as a GraphQL response ({@code data} and/or {@code errors}), whatever the status (GraphQL over HTTP
     * answers request errors with 4xx and a GraphQL body); anything else fails the fetch.
     *
     * @param cacheControl the response's {@code Cache-Control} header, null when absent
     */
    @SuppressWarnings("unchecked")
    static SubgraphResponse parse(String subgraphName, int status, byte[] body, String cacheControl) {
        Object json;
        try {
            json = Json.read(body);
        } catch (JsonException e) {
            throw new SubgraphFetchException("HTTP fetch failed from '" + subgraphName + "': status " + status
                    + ", body is not JSON", null, AttemptOutcome.response(status));
        }
        if (!(json instanceof Map<?, ?> map) || !(map.containsKey("data") || map.containsKey("errors"))) {
            throw new SubgraphFetchException("HTTP fetch failed from '" + subgraphName + "': status " + status
                    + ", body is not a GraphQL response", null, AttemptOutcome.response(status));
        }
        Object data = map.get("data");
        List<Map<String, Object>> errors = new ArrayList<>();
        if (map.get("errors") instanceof List<?> list) {
            for (Object error : list) {
                if (error instanceof Map<?, ?> e) {
                    errors.add((Map<String, Object>) e);
                }
            }
        }
        return new SubgraphResponse(data instanceof Map<?, ?> d ? (Map<String, Object>) d : null, errors, status, cacheControl);
    }
}
