package io.atrium.bff.web.session;

import java.time.Instant;

/** Tokens from the provider's token endpoint (code exchange or refresh); refresh and ID token may be absent. */
public record OidcTokens(String accessToken, Instant accessExpiresAt, String refreshToken, String idToken) {
}
