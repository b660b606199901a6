package io.atrium.policy.identity;

import io.atrium.policy.Decision;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.Policy;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.error.ProblemTypes;
import io.atrium.policy.PolicyRequest;
import io.atrium.policy.auth.JwtResult;
import io.atrium.policy.error.Problem;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Service side (router, BFFs): establishes the caller's identity from the edge's assertion only. Bare
 * {@code X-Atrium-Subject/Consumer/Scopes} headers without an assertion are refused (someone bypassed the edge or
 * forged them); with a valid assertion the headers are ignored in favour of the assertion's content.
 *
 * <p>Outcomes: {@code asserted}, {@code anonymous}, {@code missing_assertion}, {@code invalid_assertion},
 * {@code unasserted_headers}.
 */
public final class AssertionPolicy implements Policy {

    public static final String NAME = "identity_assertion";
    private static final CompletionStage<Decision> ANONYMOUS = Decision.completed(Decision.proceed("anonymous"));
    private static final List<HttpHeader> CHALLENGE = List.of(new HttpHeader("WWW-Authenticate", "Bearer realm=\"atrium-internal\""));

    private final AssertionVerifier verifier;
    private final boolean required;

    /** @param required true: requests without an assertion are refused; false: they go on anonymously */
    public AssertionPolicy(AssertionVerifier verifier, boolean required) {
        this.verifier = verifier;
        this.required = required;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<Decision> evaluate(PolicyContext context) {
        PolicyRequest request = context.request();
        String assertion = request.header(IdentityHeaders.ASSERTION);
        if (assertion != null) {
            return verifier.verify(assertion).thenApply(result -> switch (result) {
                case JwtResult.Valid valid -> new Decision.Continue("asserted", valid.identity(), List.of(), List.of());
                case JwtResult.Invalid invalid -> reply(context, "invalid_assertion", "The identity assertion is not acceptable: "
                        + invalid.description());
            });
        }
        if (request.header(IdentityHeaders.SUBJECT) != null || request.header(IdentityHeaders.CONSUMER) != null
                || request.header(IdentityHeaders.SCOPES) != null) {
            return Decision.completed(reply(context, "unasserted_headers",
                    "Identity headers without a signed " + IdentityHeaders.ASSERTION + " are not accepted; call through the edge."));
        }
        if (required) {
            return Decision.completed(reply(context, "missing_assertion",
                    "This service needs the edge's " + IdentityHeaders.ASSERTION + " header; call through the edge."));
        }
        return ANONYMOUS;
    }

    private static Decision reply(PolicyContext context, String outcome, String detail) {
        return new Decision.Reply(outcome, Problem.of(ProblemTypes.UNAUTHENTICATED, detail, context.request().path(), context.requestId()),
                CHALLENGE);
    }
}
