package io.atrium.graphql.http;

import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.GraphQLErrors;
import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonSyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * GraphQL over HTTP request decoding, shared by every Atrium GraphQL endpoint: a POST's JSON body or a GET's query
 * string becomes a {@link GraphQLHttpRequest}; CSRF prevention, malformed JSON and wrongly typed members are
 * refused with the negotiated content type. Whether a request has a document (or an id) is the pipeline's call.
 */
public final class GraphQLHttpParser {
    private GraphQLHttpParser() {
    }

    /** A POST with a JSON body ({@code query}, {@code operationName}, {@code variables}, {@code extensions}, {@code documentId}). */
    public static HttpParseResult post(HeaderLookup headers, byte[] body) {
        ResponseFormat format = ResponseFormat.negotiate(headers.get("accept"));
        if (CsrfPrevention.isSimpleRequest(headers)) {
            return new HttpParseResult.Refused(400, format, CsrfPrevention.refusal());
        }
        Object parsed;
        try {
            parsed = body == null || body.length == 0 ? null : JsonReader.read(body);
        } catch (JsonSyntaxException e) {
            return badRequest(format, e.getMessage());
        }
        return post(headers, format, parsed);
    }

    /** A POST whose body was already read as JSON (e.g. one element of a batch). */
    public static HttpParseResult post(HeaderLookup headers, Object parsedBody) {
        ResponseFormat format = ResponseFormat.negotiate(headers.get("accept"));
        if (CsrfPrevention.isSimpleRequest(headers)) {
            return new HttpParseResult.Refused(400, format, CsrfPrevention.refusal());
        }
        return post(headers, format, parsedBody);
    }

    private static HttpParseResult post(HeaderLookup headers, ResponseFormat format, Object parsed) {
        if (!(parsed instanceof Map<?, ?> json)) {
            return badRequest(format, "the body must be a JSON object with 'query' (or a persisted document id)");
        }
        return build(headers, format, false, json.get("query"), json.get("operationName"), json.get("variables"),
                json.get("extensions"), json.get("documentId"));
    }

    /** A GET: {@code query}, {@code operationName}, {@code variables} and {@code extensions} (JSON) in the query string. */
    public static HttpParseResult get(HeaderLookup headers, String rawQueryString) {
        ResponseFormat format = ResponseFormat.negotiate(headers.get("accept"));
        if (CsrfPrevention.isSimpleRequest(headers)) {
            return new HttpParseResult.Refused(400, format, CsrfPrevention.refusal());
        }
        Map<String, String> params = parameters(rawQueryString);
        Object variables;
        Object extensions;
        try {
            variables = jsonParameter(params.get("variables"));
            extensions = jsonParameter(params.get("extensions"));
        } catch (JsonSyntaxException e) {
            return badRequest(format, "'variables' and 'extensions' must be JSON objects: " + e.getMessage());
        }
        return build(headers, format, true, params.get("query"), params.get("operationName"), variables, extensions,
                params.get("documentId"));
    }

    @SuppressWarnings("unchecked")
    private static HttpParseResult build(HeaderLookup headers, ResponseFormat format, boolean get, Object query,
                                         Object operationName, Object variables, Object extensions, Object documentId) {
        if ((query != null && !(query instanceof String)) || (operationName != null && !(operationName instanceof String))
                || (variables != null && !(variables instanceof Map<?, ?>))
                || (extensions != null && !(extensions instanceof Map<?, ?>))
                || (documentId != null && !(documentId instanceof String))) {
            return badRequest(format, "'query' must be a string, 'operationName' a string, 'variables' and "
                    + "'extensions' objects and 'documentId' a string");
        }
        return new HttpParseResult.Parsed(new GraphQLHttpRequest((String) query, (String) operationName,
                (Map<String, Object>) variables, (Map<String, Object>) extensions, (String) documentId, get, format,
                ClientInfo.from(headers)));
    }

    private static HttpParseResult badRequest(ResponseFormat format, String message) {
        return new HttpParseResult.Refused(400, format, GraphQLErrors.body(message, GraphQLErrorCodes.BAD_REQUEST));
    }

    private static Object jsonParameter(String raw) {
        return raw == null || raw.isBlank() ? null : JsonReader.read(raw);
    }

    /** The first value of each parameter of a raw ({@code a=1&b=2}, percent-encoded) query string. */
    static Map<String, String> parameters(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return part; // malformed %-escape: kept as sent, so the document fails to parse with a clear error
        }
    }
}
