package io.atrium.edge.proxy;

import io.atrium.edge.config.Protection;
import io.atrium.edge.observe.EdgeMetrics;
import io.atrium.edge.proxy.transform.RouteTransform;
import io.atrium.policy.PolicyChain;

import java.util.Objects;

/**
 * A route resolved for the data path.
 *
 * @param prefix the matched path prefix
 * @param rewrite replacement for the prefix, or null to keep the path unchanged
 * @param policies the route's policy chain (auth, rate limit, identity propagation), or null when it has nothing to run
 * @param protection body limit, IP filter, HTTPS redirect
 * @param cors the route's CORS answers precomputed, or null when the route does no CORS
 * @param meters the route's request and upstream timers
 * @param traffic header conditions, weighted split, mirror and response cache
 * @param websocket whether WebSocket upgrade requests pass through (else their upgrade headers are dropped)
 * @param credentials what is removed of a verified credential before forwarding, or null when the route forwards
 *     credentials ({@code auth.forward_credentials: true}) or authenticates nobody
 * @param transform the route's request and response transformations, or null when it has none
 */
public record Route(String name, String prefix, Cluster cluster, String rewrite, PolicyChain policies, Protection protection, CorsRule cors,
                    EdgeMetrics.RouteMeters meters, TrafficPlan traffic, boolean websocket, CredentialRemoval credentials,
                    RouteTransform transform) {

    public Route {
        Objects.requireNonNull(protection, "protection");
        traffic = Objects.requireNonNullElse(traffic, TrafficPlan.NONE);
    }

    /**
     * Whether this route matches a request target (origin-form, path plus optional query):
     * the prefix followed by the end, a {@code /}, a {@code ?} or a {@code :} (a custom method, as in
     * {@code /v1/payments:batchGet} of google.api.http and AIP-136).
     */
    public boolean matches(String target) {
        if (!target.startsWith(prefix)) {
            return false;
        }
        int end = prefix.length();
        if (end == target.length() || prefix.charAt(end - 1) == '/') {
            return true;
        }
        char next = target.charAt(end);
        return next == '/' || next == '?' || next == ':';
    }

    /** The request target to send upstream, for a target this route {@link #matches}. */
    public String upstreamTarget(String target) {
        if (rewrite == null) {
            return target;
        }
        String rest = target.substring(prefix.length());
        if (rest.isEmpty()) {
            return rewrite;
        }
        boolean rewriteEndsWithSlash = rewrite.charAt(rewrite.length() - 1) == '/';
        if (rest.charAt(0) == '/') {
            return rewriteEndsWithSlash ? rewrite + rest.substring(1) : rewrite + rest;
        }
        if (rest.charAt(0) == '?' || rest.charAt(0) == ':') {
            return rewrite + rest;
        }
        // The prefix ended with '/' and the rest is a segment: keep them separated.
        return rewriteEndsWithSlash ? rewrite + rest : rewrite + "/" + rest;
    }
}
