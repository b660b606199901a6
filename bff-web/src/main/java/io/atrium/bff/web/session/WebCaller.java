package io.atrium.bff.web.session;

import io.micronaut.http.HttpRequest;
import java.util.Optional;

/**
 * Who a request to the BFF's GraphQL endpoint comes from, as the session filter found it; the forwarding step sends
 * {@link #authorizationHeader} to the router (nothing for an anonymous caller, who then sees the public part only).
 */
public sealed interface WebCaller {
    /** The request attribute holding the caller. */
    String ATTRIBUTE = "io.atrium.bff.web.caller";

    record Authenticated(String subject, String accessToken) implements WebCaller {
        @Override
        public String toString() {
            return "Authenticated[subject=" + subject + "]"; // never the token
        }
    }

    record Anonymous() implements WebCaller {
    }

    WebCaller ANONYMOUS = new Anonymous();

    static WebCaller of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, WebCaller.class).orElse(ANONYMOUS);
    }

    /** {@code Bearer <access token>} for a signed-in caller. */
    static Optional<String> authorizationHeader(HttpRequest<?> request) {
        return of(request) instanceof Authenticated a ? Optional.of("Bearer " + a.accessToken()) : Optional.empty();
    }
}
