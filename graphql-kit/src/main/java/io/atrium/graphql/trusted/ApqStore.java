package io.atrium.graphql.trusted;

import java.util.concurrent.CompletionStage;

/** Where automatic persisted queries are kept: SHA-256 hex → document text (already verified). */
public interface ApqStore extends AutoCloseable {
    /** The text registered under a hash, or null (also when the store cannot answer: the client then resends it). */
    CompletionStage<String> get(String hash);

    /** Stores a verified text; best effort (a failure only means the client registers it again later). */
    void put(String hash, String text);

    @Override
    default void close() {
    }
}
