package io.atrium.graphql.trusted;

/** Where automatic persisted queries are kept: SHA-256 hex → document text (already verified). */
public interface ApqStore {
    /** The text registered under a hash, or null. */
    String get(String hash);

    void put(String hash, String text);
}
