package io.atrium.router.execute;

import io.atrium.graphql.cache.CacheControlMerge;
import java.util.List;
import java.util.Map;

/**
 * The client response: {@code data} in the client's field order (null after root-level null propagation), as a
 * tree of JSON values or already serialized ({@link io.atrium.router.json.RawJson}), and how many subgraph requests
 * it took.
 *
 * @param cachePolicy the fetches' {@code Cache-Control} merged (every fetch added, a failed one as uncacheable);
 *                    null when the request did not ask for it
 */
public record ExecutionResult(Object data, List<Map<String, Object>> errors, int subgraphCalls,
                              CacheControlMerge.Accumulator cachePolicy) {
    public ExecutionResult {
        errors = List.copyOf(errors);
    }

    public ExecutionResult(Object data, List<Map<String, Object>> errors, int subgraphCalls) {
        this(data, errors, subgraphCalls, null);
    }

    public ExecutionResult(Object data, List<Map<String, Object>> errors) {
        this(data, errors, 0);
    }

    /** The response body as JSON values: data, then errors when there are any. */
    public Map<String, Object> toJson() {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("data", data);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return body;
    }
}
