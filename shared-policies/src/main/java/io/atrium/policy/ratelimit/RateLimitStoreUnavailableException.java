package io.atrium.policy.ratelimit;

/** The store could not decide: not connected, timed out or failed. The policy then fails open or closed per config. */
public final class RateLimitStoreUnavailableException extends RuntimeException {

    public RateLimitStoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
