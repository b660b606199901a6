package io.atrium.graphql.http;

import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.GraphQLErrors;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Refuses requests a browser may send cross-origin without a CORS preflight ("simple requests"): a GET, or a POST
 * whose content type is one a form can send, without one of the preflight headers.
 */
public final class CsrfPrevention {
    private static final Set<String> SIMPLE_CONTENT_TYPES =
            Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");
    private static final List<String> PREFLIGHT_HEADERS = List.of("apollo-require-preflight", "x-apollo-operation-name");

    private CsrfPrevention() {
    }

    public static boolean isSimpleRequest(HeaderLookup headers) {
        for (String header : PREFLIGHT_HEADERS) {
            if (headers.contains(header)) {
                return false;
            }
        }
        String contentType = headers.get("content-type");
        if (contentType == null) {
            return true;
        }
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return SIMPLE_CONTENT_TYPES.contains(essence);
    }

    static Map<String, Object> refusal() {
        return GraphQLErrors.body("This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). "
                + "Send a 'Content-Type' other than text/plain, application/x-www-form-urlencoded or multipart/form-data, "
                + "or a non-empty 'apollo-require-preflight' or 'x-apollo-operation-name' header.",
                GraphQLErrorCodes.CSRF_PREVENTED);
    }
}
