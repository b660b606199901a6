package io.atrium.router.connector.rest;

import io.atrium.router.connector.rest.selection.JsonSelection;
import java.util.List;

/**
 * The {@code @source} and {@code @connect} directives of one subgraph, as Apollo's composition carries them into the
 * supergraph ({@code @join__directive(graphs:, name: "source"|"connect", args:)}), parsed and compiled.
 */
final class ConnectSpec {
    private ConnectSpec() {
    }

    enum Method { GET, POST, PUT, PATCH, DELETE }

    /** {@code HTTPHeaderMapping}: {@code from} (a client header) or {@code value} (a template). */
    record Header(String name, String from, UrlTemplate value) {
    }

    /** {@code errors: {message, extensions}}. */
    record Errors(JsonSelection message, JsonSelection extensions) {
    }

    /** {@code @source(name:, http: {baseURL, headers, path, queryParams}, errors:, isSuccess:)}. */
    record Source(String name, String baseUrl, List<Header> headers, JsonSelection path, JsonSelection queryParams,
                  Errors errors, JsonSelection isSuccess) {
        Source {
            headers = List.copyOf(headers);
        }
    }

    /**
     * One {@code @connect}.
     *
     * @param coordinate  {@code subgraph:Type.field@connect[i]} or {@code subgraph:Type@connect[i]}
     * @param fieldName   null for a connector on a type (an entity resolver)
     * @param url         the method's URL template (relative when {@code source} is set)
     * @param entity      {@code entity: true} on a Query field
     * @param batchMaxSize {@code batch.maxSize}, or 0 when not set
     */
    record Connect(String coordinate, String typeName, String fieldName, String source, Method method, UrlTemplate url,
                   JsonSelection body, List<Header> headers, JsonSelection path, JsonSelection queryParams,
                   JsonSelection selection, boolean entity, int batchMaxSize, Errors errors, JsonSelection isSuccess) {
        Connect {
            headers = List.copyOf(headers);
        }

        boolean usesBatch() {
            return selection.variables().contains("$batch") || url.variables().contains("$batch")
                    || (body != null && body.variables().contains("$batch"))
                    || (queryParams != null && queryParams.variables().contains("$batch"));
        }
    }
}
