package io.atrium.policy.auth;

import java.util.List;
import java.util.Objects;

/**
 * Which JWT claims become which part of an {@link io.atrium.policy.Identity}.
 *
 * @param scopes claim holding the scopes, a space-separated string or a list (default {@code scope}; {@code scp} is
 *               read when it is absent)
 * @param roles claim holding the roles, a list or a space-separated string (default {@code roles})
 * @param consumer claim naming the calling application (default {@code azp}; {@code client_id} is read when it is absent)
 * @param kept further claims copied onto the identity (default none)
 */
public record ClaimMapping(String scopes, String roles, String consumer, List<String> kept) {

    public static final ClaimMapping DEFAULT = new ClaimMapping(null, null, null, null);

    public ClaimMapping {
        scopes = Objects.requireNonNullElse(scopes, "scope");
        roles = Objects.requireNonNullElse(roles, "roles");
        consumer = Objects.requireNonNullElse(consumer, "azp");
        kept = kept == null ? List.of() : List.copyOf(kept);
    }
}
