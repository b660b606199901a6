package io.atrium.edge.config;

import io.atrium.policy.PolicySettings;
import io.atrium.policy.auth.RouteAccess;
import io.atrium.policy.ratelimit.RateLimitConfig;

import java.util.Objects;
import java.util.Optional;

/**
 * The policies of one route, with the global blocks already merged in field by field.
 *
 * @param auth who may call the route (authenticated unless {@code auth.public: true})
 * @param rateLimit the route's rate limit, empty when neither the route nor the global block sets limits
 * @param protection request size limits, CORS, IP filter and HTTPS redirect
 */
public record RoutePolicies(Auth auth, Optional<RateLimit> rateLimit, Protection protection) {

    public RoutePolicies {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(protection, "protection");
    }

    /**
     * Authentication and authorization of a route.
     *
     * @param forwardCredentials {@code auth.forward_credentials}, default false: the credential the edge verified (the
     *     bearer token's {@code Authorization} header, or the API key's header and query parameter) is removed before the
     *     request goes upstream; true keeps it
     */
    public record Auth(PolicySettings settings, RouteAccess access, boolean forwardCredentials) {

        public boolean isPublic() {
            return !settings.enabled() || access instanceof RouteAccess.Public;
        }
    }

    /** The rate limit of a route. */
    public record RateLimit(PolicySettings settings, RateLimitConfig config) {
    }
}
