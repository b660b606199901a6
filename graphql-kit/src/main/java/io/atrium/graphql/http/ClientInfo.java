package io.atrium.graphql.http;

/**
 * The client application a request says it comes from ({@code apollographql-client-name}/{@code -version}, or
 * {@code graphql-client-name}/{@code -version}). It selects per-client limits and trusted documents; it is not an
 * identity.
 *
 * @param name    null when the request names none
 * @param version null when the request names none
 */
public record ClientInfo(String name, String version) {
    public static final ClientInfo UNKNOWN = new ClientInfo(null, null);

    public static ClientInfo from(HeaderLookup headers) {
        String name = first(headers, "apollographql-client-name", "graphql-client-name");
        String version = first(headers, "apollographql-client-version", "graphql-client-version");
        return name == null && version == null ? UNKNOWN : new ClientInfo(name, version);
    }

    private static String first(HeaderLookup headers, String preferred, String fallback) {
        String value = headers.get(preferred);
        if (value == null || value.isBlank()) {
            value = headers.get(fallback);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }
}
