package io.atrium.policy.resilience;

/** The conditions that make an attempt retriable ({@code retry.retry_on}). */
public enum RetryOn {
    /** The connection could not be established, or failed before the request was written. */
    CONNECT_FAILURE,
    /** The connection failed after the request was written, before a response head. */
    RESET,
    /** A response with one of the configured statuses (default 502, 503, 504). */
    RETRIABLE_STATUS,
    /** No response head within the per-try timeout. */
    PER_TRY_TIMEOUT
}
