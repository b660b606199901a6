package io.atrium.policy.resilience;

/**
 * How one attempt to an endpoint ended, as the edge observed it. Closed: a response head arrived, or a
 * {@link Failure} happened. Instances are cached, so reporting an outcome allocates nothing.
 */
public sealed interface AttemptOutcome {

    /** True when the outcome counts against the endpoint/cluster (5xx, connect failure, reset, timeout). */
    boolean failed();

    /** The response head with {@code status} arrived (its body may still be streaming). */
    static Response response(int status) {
        return Response.of(status);
    }

    record Response(int status) implements AttemptOutcome {

        private static final Response[] CACHE = new Response[600];

        static {
            for (int status = 100; status < CACHE.length; status++) {
                CACHE[status] = new Response(status);
            }
        }

        public Response {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("HTTP status must be 100-999, was " + status);
            }
        }

        static Response of(int status) {
            return status >= 100 && status < CACHE.length ? CACHE[status] : new Response(status);
        }

        @Override
        public boolean failed() {
            return status >= 500;
        }
    }

    /** An attempt that produced no usable response. */
    enum Failure implements AttemptOutcome {
        /** The connection could not be established: the request provably never reached the upstream. */
        CONNECT_FAILED,
        /**
         * The connection failed (reset, closed) before any byte of the request was written, e.g. a pooled keep-alive
         * connection the upstream had closed: the request provably never reached the upstream.
         */
        RESET_BEFORE_REQUEST_SENT,
        /** The connection failed after the request (or part of it) was written, before a response head arrived. */
        RESET_BEFORE_RESPONSE,
        /** No response head within the per-try timeout. */
        PER_TRY_TIMEOUT,
        /** The connection failed or timed out after the response had started; never retried. */
        RESPONSE_INTERRUPTED;

        @Override
        public boolean failed() {
            return true;
        }

        /** True when the upstream provably never received the request (any method may then be retried). */
        public boolean requestNeverSent() {
            return this == CONNECT_FAILED || this == RESET_BEFORE_REQUEST_SENT;
        }
    }
}
