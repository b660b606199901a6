package io.atrium.policy.identity;

import io.atrium.policy.Decision;
import io.atrium.policy.Identity;
import io.atrium.policy.Policy;
import io.atrium.policy.PolicyContext;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Edge side: forwards the identity established by authentication as {@code X-Atrium-*} headers plus the signed
 * assertion. Runs after authentication. (The edge strips client-sent {@code X-Atrium-*} headers itself with
 * {@link IdentityHeaders#isInternal(CharSequence)} before it adds these.)
 *
 * <p>Outcomes: {@code propagated}, {@code anonymous}.
 */
public final class IdentityPropagationPolicy implements Policy {

    public static final String NAME = "identity";
    private static final CompletionStage<Decision> ANONYMOUS = Decision.completed(Decision.proceed("anonymous"));

    private final AssertionSigner signer;

    public IdentityPropagationPolicy(AssertionSigner signer) {
        this.signer = signer;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<Decision> evaluate(PolicyContext context) {
        Identity identity = context.identity();
        if (identity == null) {
            return ANONYMOUS;
        }
        return Decision.completed(new Decision.Continue("propagated", null, signer.upstreamHeaders(identity), List.of()));
    }
}
