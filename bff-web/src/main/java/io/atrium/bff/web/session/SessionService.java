package io.atrium.bff.web.session;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.atrium.graphql.trusted.Sha256;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token handler: starts and completes logins, finds a cookie's session (refreshing its access token shortly before
 * it expires) and ends sessions. Calls to the provider run on {@code blocking}; the store is asynchronous.
 */
public final class SessionService {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionConfig config;
    private final OidcClient oidc;
    private final SessionStore store;
    private final Executor blocking;
    private final Clock clock;
    /** One refresh per session at a time in this instance: a rotated refresh token must not be used twice. */
    private final Map<String, CompletableFuture<SessionResolution>> refreshing = new ConcurrentHashMap<>();

    public SessionService(SessionConfig config, OidcClient oidc, SessionStore store, Executor blocking, Clock clock) {
        this.config = config;
        this.oidc = oidc;
        this.store = store;
        this.blocking = blocking;
        this.clock = clock;
    }

    public SessionConfig config() {
        return config;
    }

    /** False when no provider is configured: no login, every request anonymous. */
    public boolean enabled() {
        return config.enabled();
    }

    /** Where to send the browser to log in, and the state its login cookie must hold. */
    public record LoginStart(URI authorizationUri, String state) {
    }

    /** A completed login: the new cookie value and where the browser goes next. */
    public record LoginDone(String cookieValue, Session session, String returnTo) {
    }

    public CompletionStage<LoginStart> startLogin(String returnTo) {
        String target = SessionConfig.isLocalPath(returnTo) ? returnTo : config.afterLoginPath();
        PendingLogin login = new PendingLogin(random(32), random(32), new CodeVerifier().getValue(), target,
                clock.instant().plus(config.loginTimeout()));
        return store.saveLogin(login).thenApplyAsync(ignored -> {
            try {
                return new LoginStart(oidc.authorizationUri(login), login.state());
            } catch (OidcClient.OidcException e) {
                throw new SessionFailure(SessionProblems.SESSIONS_UNAVAILABLE, e.getMessage());
            }
        }, blocking);
    }

    public CompletionStage<LoginDone> completeLogin(String state, String cookieState, String code) {
        if (state == null || cookieState == null || !constantTimeEquals(state, cookieState)) {
            return CompletableFuture.failedFuture(new SessionFailure(SessionProblems.LOGIN_STATE_INVALID,
                    "the state does not match the login this browser started; start again at /web/auth/login"));
        }
        return store.takeLogin(state).thenApplyAsync(found -> {
            PendingLogin login = found.filter(l -> clock.instant().isBefore(l.expiresAt())).orElseThrow(() ->
                    new SessionFailure(SessionProblems.LOGIN_STATE_INVALID,
                            "the login is unknown, already used or timed out; start again at /web/auth/login"));
            if (code == null || code.isBlank()) {
                throw new SessionFailure(SessionProblems.LOGIN_STATE_INVALID, "the callback has no code");
            }
            try {
                OidcClient.Login done = oidc.exchange(code, login);
                String cookieValue = random(32);
                Instant now = clock.instant();
                OidcTokens tokens = done.tokens();
                Session session = new Session(Sha256.hex(cookieValue), done.subject(), tokens.accessToken(),
                        tokens.accessExpiresAt(), tokens.refreshToken(), tokens.idToken(), random(24),
                        now.plus(config.maxLifetime()));
                return new LoginDone(cookieValue, session, login.returnTo());
            } catch (OidcClient.OidcException e) {
                LOG.info("login failed ({}: {})", e.code(), e.getMessage());
                throw new SessionFailure(SessionProblems.LOGIN_FAILED, e.getMessage());
            }
        }, blocking).thenCompose(done -> store.save(done.session()).thenApply(ignored -> done));
    }

    /** The session of a cookie value (null: no cookie). */
    public CompletionStage<SessionResolution> resolve(String cookieValue) {
        if (!enabled() || cookieValue == null || cookieValue.isEmpty()) {
            return CompletableFuture.completedFuture(new SessionResolution.None(false));
        }
        String key = Sha256.hex(cookieValue);
        return store.find(key).thenCompose(found -> {
            Instant now = clock.instant();
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(new SessionResolution.None(true));
            }
            Session session = found.get();
            if (session.expired(now)) {
                return store.delete(key).thenApply(ignored -> new SessionResolution.None(true));
            }
            if (!session.refreshDue(now, config.refreshBefore())) {
                return CompletableFuture.completedFuture(new SessionResolution.Active(session));
            }
            return refreshing.computeIfAbsent(key, k -> refresh(session)
                    .whenComplete((r, e) -> refreshing.remove(k)).toCompletableFuture());
        });
    }

    private CompletionStage<SessionResolution> refresh(Session session) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Optional.of(session.withTokens(oidc.refresh(session.refreshToken())));
            } catch (OidcClient.OidcException e) {
                if (e.code().equals("provider_unavailable") && clock.instant().isBefore(session.accessExpiresAt())) {
                    return Optional.of(session); // try again on a later request; the token still works
                }
                if (e.code().equals("provider_unavailable")) {
                    throw new SessionFailure(SessionProblems.SESSIONS_UNAVAILABLE, e.getMessage());
                }
                LOG.info("session refresh refused ({}: {}); the session ends", e.code(), e.getMessage());
                return Optional.<Session>empty();
            }
        }, blocking).thenCompose(refreshed -> refreshed.isEmpty()
                ? store.delete(session.key()).thenApply(ignored -> (SessionResolution) new SessionResolution.None(true))
                : store.save(refreshed.get()).thenApply(ignored -> new SessionResolution.Active(refreshed.get())));
    }

    /** Ends the cookie's session here; the provider's end-session URL when it has one. */
    public CompletionStage<Optional<URI>> logout(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String key = Sha256.hex(cookieValue);
        return store.find(key).thenCompose(found -> store.delete(key).thenApplyAsync(ignored -> {
            if (found.isEmpty()) {
                return Optional.<URI>empty();
            }
            try {
                return oidc.endSessionUri(found.get().idToken(), random(16));
            } catch (OidcClient.OidcException e) {
                return Optional.<URI>empty(); // ended here; the provider's session stays until it expires
            }
        }, blocking));
    }

    public static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
