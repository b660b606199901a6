package io.atrium.graphql.trusted;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The APQ store of one instance: bounded (Caffeine, size-based eviction), lost on restart (clients re-register). */
public final class InMemoryApqStore implements ApqStore {
    private final Cache<String, String> documents;

    public InMemoryApqStore(int maxEntries) {
        this.documents = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    @Override
    public CompletionStage<String> get(String hash) {
        return CompletableFuture.completedFuture(documents.getIfPresent(hash));
    }

    @Override
    public void put(String hash, String text) {
        documents.put(hash, text);
    }
}
