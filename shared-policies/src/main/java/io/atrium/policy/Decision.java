package io.atrium.policy;

import io.atrium.policy.error.Problem;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a policy decided about a request. Closed: either the request goes on ({@link Continue}) or the policy answers
 * the client itself ({@link Reply}) with a problem document.
 *
 * <p>Every decision names its {@code outcome}: a low-cardinality, snake_case constant that becomes the counter
 * {@code atrium.policy.<policy>.<outcome>}.
 */
public sealed interface Decision {

    String outcome();

    /**
     * Go on with the request.
     *
     * @param identity the identity established by this policy, or null when it established none
     * @param upstreamHeaders headers to set on the request sent upstream (replacing any of the same name)
     * @param responseHeaders headers to add to the response sent to the client
     */
    record Continue(String outcome, Identity identity, List<HttpHeader> upstreamHeaders, List<HttpHeader> responseHeaders)
            implements Decision {

        public Continue {
            Objects.requireNonNull(outcome, "outcome");
            upstreamHeaders = List.copyOf(upstreamHeaders);
            responseHeaders = List.copyOf(responseHeaders);
        }
    }

    /** Answer the client with {@code problem} (its status is the response status) and {@code headers}. */
    record Reply(String outcome, Problem problem, List<HttpHeader> headers) implements Decision {

        public Reply {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(problem, "problem");
            headers = List.copyOf(headers);
        }

        public int status() {
            return problem.status();
        }
    }

    /** A continue that changes nothing. */
    static Continue proceed(String outcome) {
        return new Continue(outcome, null, List.of(), List.of());
    }

    /**
     * An already-completed stage for {@code decision}. Policies that decide synchronously return this; callers detect
     * it with {@link #now(CompletionStage)} and skip the asynchronous path.
     */
    static CompletionStage<Decision> completed(Decision decision) {
        return CompletableFuture.completedFuture(decision);
    }

    /** The decision of {@code stage} when it has already completed normally, else null (the caller must compose). */
    static Decision now(CompletionStage<Decision> stage) {
        if (stage instanceof CompletableFuture<Decision> future && future.isDone() && !future.isCompletedExceptionally()) {
            return future.getNow(null);
        }
        return null;
    }
}
