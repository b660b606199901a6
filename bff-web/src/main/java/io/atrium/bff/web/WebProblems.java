package io.atrium.bff.web;

import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemType;
import io.atrium.policy.error.ProblemTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;

/** Paths and methods bff-web does not serve, as RFC 9457 problem documents (never Micronaut's HAL bodies). */
@Controller
final class WebProblems {
    private static final ProblemType METHOD_NOT_ALLOWED = ProblemType.of("METHOD_NOT_ALLOWED", 405, "Method not allowed");

    /** Request attribute holding an answer a controller gave itself (Micronaut runs status handlers on those too). */
    private static final String OWN_ANSWER = "atrium.bff.own-answer";

    /** Marks a controller's own 404/405 answer (PERSISTED_QUERY_NOT_IN_LIST, ...) so the handlers below keep it. */
    static <T> MutableHttpResponse<T> own(HttpRequest<?> request, MutableHttpResponse<T> response) {
        if (response.code() == 404 || response.code() == 405) {
            request.setAttribute(OWN_ANSWER, response);
        }
        return response;
    }

    @SuppressWarnings("unchecked")
    @Error(global = true, status = HttpStatus.NOT_FOUND)
    MutableHttpResponse<byte[]> notFound(HttpRequest<?> request) {
        var own = request.getAttribute(OWN_ANSWER);
        if (own.isPresent()) {
            return (MutableHttpResponse<byte[]>) own.get();
        }
        return problem(ProblemTypes.ROUTE_NOT_FOUND, "nothing is served at " + request.getPath(), request);
    }

    @SuppressWarnings("unchecked")
    @Error(global = true, status = HttpStatus.METHOD_NOT_ALLOWED)
    MutableHttpResponse<byte[]> notAllowed(HttpRequest<?> request) {
        var own = request.getAttribute(OWN_ANSWER);
        if (own.isPresent()) {
            return (MutableHttpResponse<byte[]>) own.get();
        }
        return problem(METHOD_NOT_ALLOWED, request.getMethodName() + " is not allowed at " + request.getPath(), request);
    }

    private static MutableHttpResponse<byte[]> problem(ProblemType type, String detail, HttpRequest<?> request) {
        Problem problem = Problem.of(type, detail, request.getPath(), request.getHeaders().get("x-request-id"));
        return HttpResponse.<byte[]>status(HttpStatus.valueOf(type.status())).body(problem.toJsonBytes())
                .contentType(Problem.MEDIA_TYPE).header("cache-control", "no-store");
    }
}
