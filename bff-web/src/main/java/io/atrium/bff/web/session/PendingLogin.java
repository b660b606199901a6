package io.atrium.bff.web.session;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A login between {@code /web/auth/login} and {@code /web/auth/callback}, keyed by its {@code state}: the PKCE
 * verifier and the nonce never leave the server.
 */
@Serdeable
public record PendingLogin(String state, String nonce, String codeVerifier, String returnTo, Instant expiresAt) {
    @Override
    public String toString() {
        return "PendingLogin[returnTo=" + returnTo + ", expiresAt=" + expiresAt + "]";
    }
}
