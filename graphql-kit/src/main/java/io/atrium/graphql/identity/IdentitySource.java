package io.atrium.graphql.identity;

/** Where an endpoint learns who is calling. */
public enum IdentitySource {
    /** Nobody is identified (every request is anonymous); bare identity headers are still refused. */
    NONE,
    /** The edge's signed internal assertion ({@code X-Atrium-Assertion}), keys from the edge's JWKS. */
    EDGE_ASSERTION,
    /** A client JWT ({@code Authorization: Bearer}), for an endpoint run without the edge. */
    JWT
}
