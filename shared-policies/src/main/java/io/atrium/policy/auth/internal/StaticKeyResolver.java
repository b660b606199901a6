package io.atrium.policy.auth.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Keys from config; never changes. */
public final class StaticKeyResolver implements KeyResolver {

    private final KeySet keys;

    public StaticKeyResolver(KeySet keys) {
        this.keys = keys;
    }

    @Override
    public CompletionStage<List<VerificationKey>> candidates(String kid) {
        return CompletableFuture.completedFuture(keys.candidates(kid));
    }
}
