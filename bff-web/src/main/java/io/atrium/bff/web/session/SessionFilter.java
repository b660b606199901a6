package io.atrium.bff.web.session;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.concurrent.CompletableFuture;

/**
 * Puts the caller ({@link WebCaller}) on every request to the BFF's GraphQL endpoint: the session cookie's session,
 * its access token refreshed when due. CSRF: a state-changing request (anything but GET, HEAD, OPTIONS) that carries a
 * session cookie must send the session's CSRF token in {@code X-CSRF-Token} (synchronizer token: a page on another
 * origin can neither read {@code /web/auth/session} nor set the header without a CORS preflight we never grant), else
 * 403 {@code csrf_token_invalid}. Without a session the request is anonymous (the public part of the view).
 *
 * <p>The filter runs on the blocking executor (virtual threads): a refresh waits for the provider, and Micronaut
 * drops a request whose async request filter completes on another thread (503, no body), so the wait is explicit.
 */
@ServerFilter({"/web/graphql", "/web/graphql/**"})
final class SessionFilter {
    private static final String CLEAR = "io.atrium.bff.web.session.clear";
    private final SessionService sessions;

    SessionFilter(SessionService sessions) {
        this.sessions = sessions;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> resolve(HttpRequest<?> request) {
        return resolveAsync(request).join();
    }

    CompletableFuture<@Nullable HttpResponse<?>> resolveAsync(HttpRequest<?> request) {
        String cookieValue = AuthController.cookie(request, sessions.config().cookieName());
        if (!sessions.enabled() || cookieValue == null) {
            request.setAttribute(WebCaller.ATTRIBUTE, WebCaller.ANONYMOUS);
            return CompletableFuture.completedFuture(null);
        }
        return AuthController.handled(request, sessions.resolve(cookieValue).<HttpResponse<?>>thenApply(resolution -> {
            switch (resolution) {
                case SessionResolution.Active(Session s) -> {
                    if (changesState(request.getMethod()) && !csrfMatches(request, s)) {
                        throw new SessionFailure(SessionProblems.CSRF_TOKEN_INVALID, "send the csrf_token of "
                                + "/web/auth/session in the " + AuthController.CSRF_HEADER + " header");
                    }
                    request.setAttribute(WebCaller.ATTRIBUTE, new WebCaller.Authenticated(s.subject(), s.accessToken()));
                }
                case SessionResolution.None(boolean clear) -> {
                    request.setAttribute(WebCaller.ATTRIBUTE, WebCaller.ANONYMOUS);
                    if (clear) {
                        request.setAttribute(CLEAR, Boolean.TRUE);
                    }
                }
            }
            return null;
        })).toCompletableFuture();
    }

    @ResponseFilter
    void clearEndedSession(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (request.getAttribute(CLEAR).isPresent()) {
            response.header("Set-Cookie", SessionCookies.cleared(sessions.config().cookieName(), "Strict"));
        }
    }

    private static boolean changesState(HttpMethod method) {
        return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    }

    private static boolean csrfMatches(HttpRequest<?> request, Session session) {
        String sent = request.getHeaders().get(AuthController.CSRF_HEADER);
        return sent != null && SessionService.constantTimeEquals(sent, session.csrfToken());
    }
}
