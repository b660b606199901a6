package io.atrium.policy;

/**
 * The switches every policy has.
 *
 * @param enabled false: the policy is not run at all (default true)
 * @param enforce false: report-only, the decision is computed and counted but a reply is not sent and the request
 *                goes on (default true)
 */
public record PolicySettings(boolean enabled, boolean enforce) {

    public static final PolicySettings DEFAULT = new PolicySettings(true, true);
    public static final PolicySettings REPORT_ONLY = new PolicySettings(true, false);
    public static final PolicySettings DISABLED = new PolicySettings(false, true);
}
