package io.atrium.bff.web.session;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A browser's session: the tokens stay here, on the server; the browser holds only an opaque cookie whose SHA-256 is
 * the store key (a leaked store dump holds no usable cookie).
 *
 * @param key              SHA-256 (hex) of the cookie value
 * @param subject          the ID token's {@code sub}
 * @param accessToken      sent to the router as {@code Authorization: Bearer}
 * @param accessExpiresAt  when the access token expires (from {@code expires_in})
 * @param refreshToken     null when the provider issued none (the session then ends with the access token)
 * @param idToken          kept for RP-initiated logout ({@code id_token_hint})
 * @param csrfToken        the value state-changing requests must send in {@code X-CSRF-Token}
 * @param expiresAt        the absolute end of the session
 */
@Serdeable
public record Session(String key, String subject, String accessToken, Instant accessExpiresAt, String refreshToken,
                      String idToken, String csrfToken, Instant expiresAt) {

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt) || (refreshToken == null && !now.isBefore(accessExpiresAt));
    }

    public boolean refreshDue(Instant now, java.time.Duration before) {
        return refreshToken != null && !now.plus(before).isBefore(accessExpiresAt);
    }

    /** Never the tokens: a session may end up in a log line or an assertion message. */
    @Override
    public String toString() {
        return "Session[subject=" + subject + ", accessExpiresAt=" + accessExpiresAt + ", expiresAt=" + expiresAt + "]";
    }

    public Session withTokens(OidcTokens tokens) {
        return new Session(key, subject, tokens.accessToken(), tokens.accessExpiresAt(),
                tokens.refreshToken() != null ? tokens.refreshToken() : refreshToken,
                tokens.idToken() != null ? tokens.idToken() : idToken, csrfToken, expiresAt);
    }
}
