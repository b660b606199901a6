package io.atrium.graphql.http;

import java.util.Map;

/** What {@link GraphQLHttpParser} made of an HTTP request: a GraphQL request, or the answer that refuses it. */
public sealed interface HttpParseResult {
    record Parsed(GraphQLHttpRequest request) implements HttpParseResult {
    }

    /**
     * @param status HTTP status
     * @param format the content type to answer with
     * @param body   {@code {"errors": [...]}}
     */
    record Refused(int status, ResponseFormat format, Map<String, Object> body) implements HttpParseResult {
    }
}
