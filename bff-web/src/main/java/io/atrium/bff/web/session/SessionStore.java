package io.atrium.bff.web.session;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where sessions and logins in progress live: memory (one instance) or Redis (several). Never blocks the caller. */
public interface SessionStore extends AutoCloseable {

    CompletionStage<Optional<Session>> find(String key);

    /** Stores or replaces a session until its absolute end. */
    CompletionStage<Void> save(Session session);

    CompletionStage<Void> delete(String key);

    CompletionStage<Void> saveLogin(PendingLogin login);

    /** Reads and removes a login in one step, so a {@code state} is good for one callback only. */
    CompletionStage<Optional<PendingLogin>> takeLogin(String state);

    @Override
    default void close() {
    }
}
