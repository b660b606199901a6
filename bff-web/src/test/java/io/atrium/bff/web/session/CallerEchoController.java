package io.atrium.bff.web.session;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

/** Test-only endpoint under the session filter: answers with the caller and the Authorization it would forward. */
@Controller("/web/graphql/_caller")
@Requires(property = "test.caller-echo", value = "true")
final class CallerEchoController {

    @Get(produces = MediaType.TEXT_PLAIN)
    String get(HttpRequest<?> request) {
        return describe(request);
    }

    @Post(produces = MediaType.TEXT_PLAIN, consumes = MediaType.ALL)
    String post(HttpRequest<?> request) {
        return describe(request);
    }

    private static String describe(HttpRequest<?> request) {
        WebCaller caller = WebCaller.of(request);
        return (caller instanceof WebCaller.Authenticated a ? "authenticated " + a.subject() : "anonymous") + "\n"
                + WebCaller.authorizationHeader(request).orElse("");
    }
}
