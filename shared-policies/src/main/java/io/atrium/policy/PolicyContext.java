package io.atrium.policy;

import java.util.Objects;

/**
 * The one argument every policy gets: the request and what earlier policies of the chain established.
 *
 * @param request the request being decided
 * @param identity the identity established by an earlier policy (authentication), or null when anonymous
 * @param requestId the request id assigned by the deployable, echoed in problem documents; may be null
 */
public record PolicyContext(PolicyRequest request, Identity identity, String requestId) {

    public PolicyContext {
        Objects.requireNonNull(request, "request");
    }

    public static PolicyContext of(PolicyRequest request, String requestId) {
        return new PolicyContext(request, null, requestId);
    }

    public PolicyContext withIdentity(Identity newIdentity) {
        return newIdentity == identity ? this : new PolicyContext(request, newIdentity, requestId);
    }
}
