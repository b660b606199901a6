package io.atrium.bff.web.session;

/** What a request's session cookie stands for. */
public sealed interface SessionResolution {
    /** A live session (its access token refreshed when it was due). */
    record Active(Session session) implements SessionResolution {
    }

    /** No cookie, or one for a session that ended (then {@code clearCookie}: the browser should forget it). */
    record None(boolean clearCookie) implements SessionResolution {
    }
}
