package io.atrium.edge;

import io.atrium.policy.error.ProblemTypes;

import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemType;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards the admin API ({@code /config/**}) with a bearer token: {@code atrium.admin.token} (env
 * {@code ATRIUM_ADMIN_TOKEN}). Without a token configured the admin API is closed. Health, readiness, metrics and the
 * assertion JWKS stay open: probes and Prometheus reach them on the admin port, which is never a public listener.
 */
@ServerFilter({"/config", "/config/**"})
final class AdminTokenFilter {


    private final byte[] token;

    AdminTokenFilter(@Value("${atrium.admin.token:}") String token) {
        this.token = token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Null lets the request through; a response ends it. */
    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        String path = request.getPath();
        if (token == null) {
            return problem(path, "The admin API is disabled: set ATRIUM_ADMIN_TOKEN (property atrium.admin.token) to enable it.");
        }
        String authorization = request.getHeaders().get("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || !MessageDigest.isEqual(token, authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
            return problem(path, "Send the admin token as 'Authorization: Bearer <token>'.");
        }
        return null;
    }

    private static MutableHttpResponse<String> problem(String path, String detail) {
        return HttpResponse.<String>status(HttpStatus.UNAUTHORIZED)
                .header("WWW-Authenticate", "Bearer realm=\"atrium-admin\"")
                .contentType(Problem.MEDIA_TYPE)
                .body(Problem.of(ProblemTypes.ADMIN_UNAUTHORIZED, detail, path, null).toJson());
    }
}
