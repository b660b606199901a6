package io.atrium.policy.auth.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An immutable set of verification keys indexed by {@code kid}. */
public final class KeySet {

    public static final KeySet EMPTY = new KeySet(List.of());

    private final List<VerificationKey> all;
    private final Map<String, List<VerificationKey>> byKid;
    private final List<VerificationKey> withoutKid;

    public KeySet(List<VerificationKey> keys) {
        this.all = List.copyOf(keys);
        Map<String, List<VerificationKey>> index = new HashMap<>();
        List<VerificationKey> anonymous = new ArrayList<>();
        for (VerificationKey key : all) {
            if (key.kid() != null) {
                index.computeIfAbsent(key.kid(), k -> new ArrayList<>()).add(key);
            } else {
                anonymous.add(key);
            }
        }
        this.withoutKid = List.copyOf(anonymous);
        Map<String, List<VerificationKey>> frozen = new HashMap<>();
        index.forEach((kid, list) -> {
            list.addAll(withoutKid);
            frozen.put(kid, List.copyOf(list));
        });
        this.byKid = Map.copyOf(frozen);
    }

    /**
     * The keys that may have signed a token with this {@code kid}: the keys with that id plus the keys without an id
     * (e.g. configured PEM keys); every key when the token names none.
     */
    public List<VerificationKey> candidates(String kid) {
        if (kid == null) {
            return all;
        }
        return byKid.getOrDefault(kid, withoutKid);
    }

    public int size() {
        return all.size();
    }
}
