package io.atrium.policy.resilience;

import java.util.EnumMap;
import java.util.Map;

/**
 * What to do after an attempt. Closed: {@link Retry} after a backoff, or {@link NoRetry} with the reason (the attempt's
 * outcome is final: forward its response, or answer 502/504). {@code NoRetry} instances are constants.
 */
public sealed interface RetryDecision {

    /** Start another attempt after {@code delayNanos} (the backoff, already jittered). */
    record Retry(long delayNanos) implements RetryDecision {
    }

    record NoRetry(Reason reason) implements RetryDecision {

        private static final Map<Reason, NoRetry> CONSTANTS = new EnumMap<>(Reason.class);

        static {
            for (Reason reason : Reason.values()) {
                CONSTANTS.put(reason, new NoRetry(reason));
            }
        }

        public static NoRetry of(Reason reason) {
            return CONSTANTS.get(reason);
        }
    }

    /** Why an attempt is not retried. */
    enum Reason {
        /** The attempt succeeded, or its outcome is not a configured retriable condition. */
        NOT_RETRIABLE,
        /** The method is not idempotent and the request may have reached the upstream. */
        NOT_IDEMPOTENT,
        /** Response bytes already went to the client. */
        RESPONSE_STARTED,
        /** {@code max_attempts} reached. */
        ATTEMPTS_EXHAUSTED,
        /** The cluster's retry budget is used up. */
        BUDGET_EXHAUSTED,
        /** The backoff would end beyond the total timeout. */
        TOTAL_TIMEOUT;

        /** True for reasons that deny a retry the request was otherwise eligible for (worth counting). */
        public boolean denied() {
            return this == ATTEMPTS_EXHAUSTED || this == BUDGET_EXHAUSTED || this == TOTAL_TIMEOUT;
        }
    }
}
