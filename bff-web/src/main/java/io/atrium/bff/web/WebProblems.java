package io.atrium.bff.web;

import io.atrium.policy.error.ProblemResponses;
import io.atrium.policy.error.ProblemType;
import io.atrium.policy.error.ProblemTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;

/** Paths and methods bff-web does not serve, as RFC 9457 problem documents (never Micronaut's HAL bodies). */
@Controller
final class WebProblems {
    private static final ProblemType METHOD_NOT_ALLOWED = ProblemType.of("METHOD_NOT_ALLOWED", 405, "Method not allowed");

    @Error(global = true, status = HttpStatus.NOT_FOUND)
    MutableHttpResponse<byte[]> notFound(HttpRequest<?> request) {
        return ProblemResponses.unrouted(request, ProblemTypes.ROUTE_NOT_FOUND, "nothing is served at " + request.getPath());
    }

    @Error(global = true, status = HttpStatus.METHOD_NOT_ALLOWED)
    MutableHttpResponse<byte[]> notAllowed(HttpRequest<?> request) {
        return ProblemResponses.unrouted(request, METHOD_NOT_ALLOWED, request.getMethodName() + " is not allowed at "
                + request.getPath());
    }
}
