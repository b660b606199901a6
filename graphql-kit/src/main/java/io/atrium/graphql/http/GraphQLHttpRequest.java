package io.atrium.graphql.http;

import java.util.Map;

/**
 * One GraphQL-over-HTTP request, decoded from a JSON body (POST) or the query string (GET).
 *
 * @param query         the document text; null when the request names a document by id
 * @param variables     never null
 * @param extensions    never null ({@code persistedQuery} lives here)
 * @param documentId    GraphQL-over-HTTP persisted operations' {@code documentId}; null when absent
 * @param get           true for GET (queries only)
 * @param format        the negotiated response media type
 * @param client        who says they are calling (client name and version headers)
 */
public record GraphQLHttpRequest(String query, String operationName, Map<String, Object> variables,
                                 Map<String, Object> extensions, String documentId, boolean get,
                                 ResponseFormat format, ClientInfo client) {
    public GraphQLHttpRequest {
        variables = variables == null ? Map.of() : variables;
        extensions = extensions == null ? Map.of() : extensions;
    }

    /** The same request from another client (e.g. the verified caller's consumer instead of the headers'). */
    public GraphQLHttpRequest withClient(ClientInfo other) {
        return new GraphQLHttpRequest(query, operationName, variables, extensions, documentId, get, format, other);
    }

    /** The same request with its document text resolved (from a trusted document or the APQ store). */
    public GraphQLHttpRequest withQuery(String text) {
        return new GraphQLHttpRequest(text, operationName, variables, extensions, documentId, get, format, client);
    }
}
