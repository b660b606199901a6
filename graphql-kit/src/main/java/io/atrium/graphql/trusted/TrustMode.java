package io.atrium.graphql.trusted;

/** How an endpoint treats operations that are not in a client's trusted-document manifests. */
public enum TrustMode {
    /** Any operation runs; ids are looked up in the manifests (and the APQ store). */
    OFF,
    /** Any operation runs; one not in the manifests is logged and counted. */
    LOG_UNKNOWN,
    /** Only operations of the manifests run, by id or by identical text; APQ is off for the client. */
    ALLOW_ONLY_KNOWN
}
