package io.atrium.bff.web.session;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The browser's side of the token handler: {@code /web/auth/login} → the provider → {@code /web/auth/callback} →
 * a session cookie; {@code /web/auth/session} tells the page who is signed in and hands it the CSRF token;
 * {@code POST /web/auth/logout} ends the session here and returns the provider's end-session URL.
 */
@Controller("/web/auth")
final class AuthController {
    static final String CSRF_HEADER = "X-CSRF-Token";
    private final SessionService sessions;

    AuthController(SessionService sessions) {
        this.sessions = sessions;
    }

    @Get("/login")
    CompletionStage<MutableHttpResponse<?>> login(HttpRequest<?> request, @QueryValue("return_to") @Nullable String returnTo) {
        if (!sessions.enabled()) {
            return disabled(request);
        }
        return handled(request, sessions.startLogin(returnTo).thenApply(start -> HttpResponse.status(io.micronaut.http.HttpStatus.FOUND)
                .header("Location", start.authorizationUri().toString())
                .header("Cache-Control", "no-store")
                .header("Set-Cookie", SessionCookies.login(start.state(), sessions.config().loginTimeout()))));
    }

    @Get("/callback")
    CompletionStage<MutableHttpResponse<?>> callback(HttpRequest<?> request, @QueryValue @Nullable String state,
                                                     @QueryValue @Nullable String code,
                                                     @QueryValue @Nullable String error) {
        if (!sessions.enabled()) {
            return disabled(request);
        }
        if (error != null) {
            MutableHttpResponse<?> denied = SessionProblems.response(SessionProblems.LOGIN_DENIED,
                    "the provider answered " + error + "; start again at /web/auth/login", request.getPath());
            return CompletableFuture.completedFuture(denied.header("Set-Cookie", SessionCookies.cleared(SessionConfig.LOGIN_COOKIE, "Lax")));
        }
        String cookieState = cookie(request, SessionConfig.LOGIN_COOKIE);
        return handled(request, sessions.completeLogin(state, cookieState, code).thenApply(done -> {
            // rounded up: a session with less than a second left still gets a cookie (Max-Age=0 would delete it)
            Duration maxAge = Duration.ofSeconds(Math.max(1,
                    (Duration.between(Instant.now(), done.session().expiresAt()).toMillis() + 999) / 1000));
            return HttpResponse.status(io.micronaut.http.HttpStatus.FOUND)
                    .header("Location", done.returnTo())
                    .header("Cache-Control", "no-store")
                    .header("Set-Cookie", SessionCookies.session(sessions.config().cookieName(), done.cookieValue(), maxAge))
                    .header("Set-Cookie", SessionCookies.cleared(SessionConfig.LOGIN_COOKIE, "Lax"));
        }));
    }

    @Get(value = "/session", produces = MediaType.APPLICATION_JSON)
    CompletionStage<MutableHttpResponse<?>> session(HttpRequest<?> request) {
        return handled(request, sessions.resolve(cookie(request, sessions.config().cookieName())).thenApply(resolution -> {
            MutableHttpResponse<String> response = HttpResponse.<String>ok().contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header("Cache-Control", "no-store");
            return switch (resolution) {
                case SessionResolution.Active(Session s) -> response.body("{\"authenticated\":true,\"subject\":"
                        + quote(s.subject()) + ",\"csrf_token\":" + quote(s.csrfToken()) + ",\"expires_at\":\""
                        + s.expiresAt() + "\",\"login_enabled\":true}");
                case SessionResolution.None(boolean clear) -> withCleared(response.body(
                        "{\"authenticated\":false,\"login_enabled\":" + sessions.enabled() + "}"), clear);
            };
        }));
    }

    @Post(value = "/logout", produces = MediaType.APPLICATION_JSON)
    CompletionStage<MutableHttpResponse<?>> logout(HttpRequest<?> request, @Header(CSRF_HEADER) @Nullable String csrf) {
        if (!sessions.enabled()) {
            return disabled(request);
        }
        String cookieValue = cookie(request, sessions.config().cookieName());
        return handled(request, sessions.resolve(cookieValue).thenCompose(resolution -> {
            if (resolution instanceof SessionResolution.Active(Session s)
                    && (csrf == null || !SessionService.constantTimeEquals(csrf, s.csrfToken()))) {
                throw new SessionFailure(SessionProblems.CSRF_TOKEN_INVALID,
                        "send the csrf_token of /web/auth/session in the " + CSRF_HEADER + " header");
            }
            return sessions.logout(cookieValue);
        }).thenApply(endSession -> {
            URI next = endSession.orElseGet(() -> {
                URI after = sessions.config().postLogoutRedirectUri();
                return after != null ? after : URI.create(sessions.config().afterLoginPath());
            });
            return HttpResponse.ok().contentType(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                    .header("Set-Cookie", SessionCookies.cleared(sessions.config().cookieName(), "Strict"))
                    .body("{\"logged_out\":true,\"redirect\":" + quote(next.toString()) + "}");
        }));
    }

    private MutableHttpResponse<?> withCleared(MutableHttpResponse<?> response, boolean clear) {
        return clear ? response.header("Set-Cookie", SessionCookies.cleared(sessions.config().cookieName(), "Strict"))
                : response;
    }

    static String cookie(HttpRequest<?> request, String name) {
        return request.getCookies().findCookie(name).map(Cookie::getValue).orElse(null);
    }

    private CompletionStage<MutableHttpResponse<?>> disabled(HttpRequest<?> request) {
        return CompletableFuture.completedFuture(SessionProblems.response(SessionProblems.SESSIONS_DISABLED,
                "bff-web has no session block in its config (atrium.web.session-config)", request.getPath()));
    }

    /** Maps a {@link SessionFailure} to its problem document. */
    static <R extends HttpResponse<?>> CompletionStage<R> handled(HttpRequest<?> request, CompletionStage<R> stage) {
        return stage.exceptionally(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof SessionFailure failure) {
                return problem(SessionProblems.response(failure.type(), failure.getMessage(), request.getPath()));
            }
            return problem(SessionProblems.response(SessionProblems.SESSIONS_UNAVAILABLE,
                    "the session store or the provider failed; try again", request.getPath()));
        });
    }

    @SuppressWarnings("unchecked")
    private static <R extends HttpResponse<?>> R problem(MutableHttpResponse<?> response) {
        return (R) response;
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
