package io.atrium.bff.web.session;

import java.time.Duration;

/**
 * The two cookies of the token handler, as {@code Set-Cookie} values. Both are {@code __Host-} cookies (Secure,
 * Path=/, no Domain: only this origin, never a sibling subdomain) and HttpOnly (no script reads them).
 * <ul>
 *   <li>the session cookie is SameSite=Strict: no cross-site request carries the session;</li>
 *   <li>the login cookie binds a login's {@code state} to the browser that started it (a callback with another state
 *       is refused, so nobody can log a victim into the attacker's account); it is SameSite=Lax because the provider
 *       sends the browser back with a cross-site top-level GET, and lives only for the login timeout.</li>
 * </ul>
 */
public final class SessionCookies {
    private SessionCookies() {
    }

    public static String session(String name, String value, Duration maxAge) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; Secure; HttpOnly; SameSite=Strict";
    }

    public static String login(String state, Duration maxAge) {
        return SessionConfig.LOGIN_COOKIE + "=" + state + "; Path=/; Max-Age=" + maxAge.toSeconds()
                + "; Secure; HttpOnly; SameSite=Lax";
    }

    public static String cleared(String name, String sameSite) {
        return name + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=" + sameSite;
    }
}
