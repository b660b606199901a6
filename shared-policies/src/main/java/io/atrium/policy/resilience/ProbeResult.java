package io.atrium.policy.resilience;

/** The outcome of one active health probe, as the edge observed it. */
public enum ProbeResult {
    /** A 2xx response head within the timeout. */
    SUCCESS,
    /** Any other status, or the connection failed. */
    FAILURE,
    /** No response head within the timeout. */
    TIMEOUT;

    /** {@link #SUCCESS} for a 2xx status, else {@link #FAILURE}. */
    public static ProbeResult ofStatus(int status) {
        return status >= 200 && status < 300 ? SUCCESS : FAILURE;
    }
}
