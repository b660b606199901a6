package io.atrium.graphql.http;

import java.util.Locale;

/**
 * The response media type negotiated from {@code Accept} (GraphQL over HTTP): {@code application/graphql-response+json}
 * when the client names it (request errors are 4xx), {@code application/json} otherwise (request errors are 200, as
 * the spec requires for legacy clients).
 */
public enum ResponseFormat {
    GRAPHQL_RESPONSE_JSON("application/graphql-response+json"),
    JSON("application/json");

    private final String contentType;

    ResponseFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The status of a request that was not executed (parse, validation, variable errors). */
    public int requestErrorStatus() {
        return this == GRAPHQL_RESPONSE_JSON ? 400 : 200;
    }

    public static ResponseFormat negotiate(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(GRAPHQL_RESPONSE_JSON.contentType)
                ? GRAPHQL_RESPONSE_JSON : JSON;
    }
}
