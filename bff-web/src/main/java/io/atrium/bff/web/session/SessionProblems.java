package io.atrium.bff.web.session;

import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemType;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;

/** The problem documents (RFC 9457) of browser sessions, one constant per problem. */
public final class SessionProblems {
    public static final ProblemType LOGIN_STATE_INVALID = ProblemType.of("login_state_invalid", 400,
            "Login state missing, unknown or already used");
    public static final ProblemType LOGIN_FAILED = ProblemType.of("login_failed", 502,
            "The OpenID provider did not complete the login");
    public static final ProblemType LOGIN_DENIED = ProblemType.of("login_denied", 403,
            "The OpenID provider denied the login");
    public static final ProblemType CSRF_TOKEN_INVALID = ProblemType.of("csrf_token_invalid", 403,
            "Missing or wrong CSRF token");
    public static final ProblemType SESSIONS_UNAVAILABLE = ProblemType.of("sessions_unavailable", 503,
            "Browser sessions are unavailable");
    public static final ProblemType SESSIONS_DISABLED = ProblemType.of("sessions_disabled", 501,
            "Browser sessions are not configured");
    public static final ProblemType NOT_SIGNED_IN = ProblemType.of("not_signed_in", 401, "No browser session");

    private SessionProblems() {
    }

    public static MutableHttpResponse<byte[]> response(ProblemType type, String detail, String path) {
        Problem problem = Problem.of(type, detail, path, null);
        return HttpResponse.<byte[]>status(io.micronaut.http.HttpStatus.valueOf(type.status()))
                .contentType(Problem.MEDIA_TYPE)
                .header("Cache-Control", "no-store")
                .body(problem.toJsonBytes());
    }
}
