package io.atrium.policy.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.Map;

/**
 * Answers of the Micronaut-served deployables (the BFFs) as bytes with their headers, and their problem documents for
 * requests no route serves. Micronaut runs an app's {@code @Error(status = NOT_FOUND)} handler also for a 404 a
 * controller answered itself ({@code PERSISTED_QUERY_NOT_IN_LIST}, ...): {@link #answer} marks such answers on the
 * request, and {@link #unrouted} gives them back instead of a problem document.
 */
public final class ProblemResponses {
    private static final String OWN_ANSWER = "atrium.own-answer";

    private ProblemResponses() {
    }

    /** A controller's answer: status, headers (lower-case names; {@code content-type} among them), body. */
    public static MutableHttpResponse<byte[]> answer(HttpRequest<?> request, int status, Map<String, String> headers,
                                                     byte[] body) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(HttpStatus.valueOf(status)).body(body)
                .contentType(headers.getOrDefault("content-type", "application/json"));
        headers.forEach((name, value) -> {
            if (!name.equals("content-type")) {
                response.header(name, value);
            }
        });
        if (status == 404 || status == 405) {
            request.setAttribute(OWN_ANSWER, response);
        }
        return response;
    }

    /** A problem document (RFC 9457) for this request, never cached. */
    public static MutableHttpResponse<byte[]> problem(HttpRequest<?> request, ProblemType type, String detail) {
        Problem problem = Problem.of(type, detail, request.getPath(), request.getHeaders().get("x-request-id"));
        return answer(request, type.status(), Map.of("content-type", Problem.MEDIA_TYPE, "cache-control", "no-store"),
                problem.toJsonBytes());
    }

    /** For an {@code @Error(status = …)} handler: the controller's own answer when it gave one, else the problem. */
    @SuppressWarnings("unchecked")
    public static MutableHttpResponse<byte[]> unrouted(HttpRequest<?> request, ProblemType type, String detail) {
        var own = request.getAttribute(OWN_ANSWER);
        if (own.isPresent()) {
            return (MutableHttpResponse<byte[]>) own.get();
        }
        return problem(request, type, detail);
    }
}
