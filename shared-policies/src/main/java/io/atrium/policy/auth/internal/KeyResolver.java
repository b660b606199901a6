package io.atrium.policy.auth.internal;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Finds the keys that may have signed a token. Never blocks. */
public interface KeyResolver {

    /** The candidate keys for {@code kid} (every key when null); an empty list when none is known even after a refresh. */
    CompletionStage<List<VerificationKey>> candidates(String kid);
}
