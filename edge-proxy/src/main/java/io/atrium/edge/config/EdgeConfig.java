package io.atrium.edge.config;

import io.atrium.policy.identity.AssertionConfig;
import io.atrium.policy.identity.AssertionSigner;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The edge's declarative configuration (route file, {@code format_version: 1}), validated.
 *
 * @param formatVersion the file's format version (always {@link #FORMAT_VERSION})
 * @param http the plain-HTTP data listener (HTTP/1.1 and h2c)
 * @param https the HTTPS data listener, when configured
 * @param clusters upstream clusters by name, in file order
 * @param routes routes in file order (matching is longest prefix first, not file order)
 * @param gateway gateway-wide policy set-up (authenticators, assertion, rate-limit store)
 * @param accessLog {@code access_log.enabled}, default true: one JSON line per exchange on logger {@code io.atrium.edge.access}
 * @param cacheMaxBytes {@code cache.max_size}, default 64 MiB: the response cache's store, shared by every caching route
 * @param maxHeaderSize {@code limits.max_header_size}, default 16 KiB: request line plus headers; larger gets 431
 * @param timeouts {@code limits.idle_timeout}, {@code request_header_timeout}, {@code request_body_timeout}
 */
public record EdgeConfig(int formatVersion, ListenerConfig http, Optional<TlsListenerConfig> https, Map<String, ClusterConfig> clusters,
                         List<RouteConfig> routes, GatewayPolicies gateway, int maxHeaderSize, boolean accessLog, long cacheMaxBytes,
                         ClientTimeouts timeouts) {

    public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;

    public static final int FORMAT_VERSION = 1;

    public EdgeConfig {
        clusters = Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
        routes = List.copyOf(routes);
    }

    /**
     * This config with the identity assertion's signing key given outside the route file ({@code ATRIUM_EDGE_SIGNING_KEY},
     * property {@code atrium.edge.signing-key}): one key for every edge of a deployment, kept out of the route file
     * (a key per edge makes services that fetched one edge's JWKS refuse the others' assertions). Blank: unchanged.
     * Refused when the route file sets {@code identity_assertion.signing_key} too, or when it is no usable key (the
     * error never shows the value).
     */
    public EdgeConfig withSigningKey(String key) {
        if (key == null || key.isBlank()) {
            return this;
        }
        AssertionConfig own = gateway.assertion();
        if (own.signingKey() != null) {
            throw new EdgeConfigException("identity_assertion.signing_key: set in the route file and in ATRIUM_EDGE_SIGNING_KEY"
                    + " (atrium.edge.signing-key); set one of them");
        }
        AssertionConfig shared = new AssertionConfig(own.issuer(), own.audience(), own.ttl(), key.strip(), own.cacheMaximumSize());
        try {
            AssertionSigner.create(shared);
        } catch (IllegalArgumentException unusable) {
            throw new EdgeConfigException("ATRIUM_EDGE_SIGNING_KEY (atrium.edge.signing-key): not a private EC P-256 JWK with a"
                    + " kid; java -cp edge-proxy.jar io.atrium.policy.identity.SigningKeys prints a new one");
        }
        GatewayPolicies withKey = new GatewayPolicies(gateway.realm(), gateway.jwt(), gateway.apiKeys(), shared,
                gateway.rateLimitStore(), gateway.trustedProxies());
        return new EdgeConfig(formatVersion, http, https, clusters, routes, withKey, maxHeaderSize, accessLog, cacheMaxBytes,
                timeouts);
    }
}
