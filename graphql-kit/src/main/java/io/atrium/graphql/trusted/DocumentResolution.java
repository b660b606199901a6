package io.atrium.graphql.trusted;

import java.util.Map;

/** What {@link DocumentResolver} made of a request's document: its text, or the answer that refuses it. */
public sealed interface DocumentResolution {
    /** The document text to run (sent, trusted by id, or from the APQ store). */
    record Resolved(String query) implements DocumentResolution {
    }

    /**
     * @param status  HTTP status (fixed per code, whatever the response format, as clients of APQ expect)
     * @param headers to set on the answer ({@code Cache-Control} so clients ahead of the server can retry later)
     */
    record Refused(int status, String code, String message, Map<String, String> headers) implements DocumentResolution {
        public Refused {
            headers = Map.copyOf(headers);
        }
    }
}
