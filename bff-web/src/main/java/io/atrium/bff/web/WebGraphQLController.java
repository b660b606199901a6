package io.atrium.bff.web;

import io.atrium.bff.web.session.WebCaller;
import io.atrium.graphql.bff.BffEndpoint;
import io.atrium.graphql.bff.BffResult;
import io.atrium.graphql.http.HeaderLookup;
import io.atrium.policy.error.ProblemResponses;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.util.concurrent.CompletionStage;

/**
 * {@code /web/graphql} (GraphQL over HTTP through the BFF core) and {@code /subgraph} (the web fields, called by the
 * router). Browser sessions plug in in front of it: the header lookup is what the router gets ({@code authorization},
 * {@code x-atrium-assertion}, trace headers).
 */
@Controller
final class WebGraphQLController {
    private final WebBff bff;

    WebGraphQLController(WebBff bff) {
        this.bff = bff;
    }

    @Post(uri = "/web/graphql", consumes = MediaType.ALL, produces = MediaType.ALL)
    CompletionStage<MutableHttpResponse<byte[]>> post(HttpRequest<?> request, @Body byte[] body) {
        return bff.runtime().endpoint().post(browserHeaders(request), body).thenApply(result -> response(request, result));
    }

    @Get(uri = "/web/graphql", produces = MediaType.ALL)
    CompletionStage<MutableHttpResponse<byte[]>> get(HttpRequest<?> request) {
        // the kit's Vary (accept, credentials, app name and version), and Cookie: the session picks the caller
        return bff.runtime().endpoint().get(browserHeaders(request), request.getUri().getRawQuery())
                .thenApply(result -> response(request, bff.runtime().endpoint().conditionalGets().apply(request.getHeaders().get("If-None-Match"),
                        result.withHeader("vary", varyWithCookie(result.headers().get("vary"))))));
    }

    @Post(uri = "/subgraph", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    CompletionStage<MutableHttpResponse<byte[]>> subgraph(HttpRequest<?> request, @Body byte[] body) {
        return BffEndpoint.subgraph(bff.runtime().fields(), headers(request), body)
                .thenApply(result -> response(request, result));
    }

    /**
     * A browser's request as the router sees it: {@code authorization} is the session's access token (SessionFilter
     * put the caller on the request), never what the browser sent; without a session, none.
     */
    static HeaderLookup browserHeaders(HttpRequest<?> request) {
        return name -> name.equalsIgnoreCase("authorization")
                ? WebCaller.authorizationHeader(request).orElse(null)
                : request.getHeaders().get(name);
    }

    static String varyWithCookie(String vary) {
        return vary == null || vary.isBlank() ? "Cookie" : vary + ", Cookie";
    }

    static HeaderLookup headers(HttpRequest<?> request) {
        return name -> request.getHeaders().get(name);
    }

    static MutableHttpResponse<byte[]> response(HttpRequest<?> request, BffResult result) {
        return ProblemResponses.answer(request, result.status(), result.headers(), result.body());
    }
}
