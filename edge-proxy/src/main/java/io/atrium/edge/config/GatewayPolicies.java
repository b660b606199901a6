package io.atrium.edge.config;

import io.atrium.policy.auth.ApiKeyConfig;
import io.atrium.policy.auth.Authenticators;
import io.atrium.policy.auth.JwtConfig;
import io.atrium.policy.identity.AssertionConfig;
import io.atrium.policy.ratelimit.Cidr;
import io.atrium.policy.ratelimit.RedisRateLimitStore;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The gateway-wide policy set-up, built once per config: authenticators, the identity assertion and the rate-limit
 * store. The per-route defaults of the same top-level blocks are merged into each {@link RoutePolicies} at load.
 *
 * @param realm {@code auth.realm}, default {@code atrium}: the realm of {@code WWW-Authenticate} challenges
 * @param jwt {@code auth.jwt}, or null when no JWT issuer is configured
 * @param apiKeys {@code auth.api_keys}, or null when no API keys are configured
 * @param assertion {@code identity_assertion}: how the internal assertion is signed
 * @param rateLimitStore {@code rate_limit.store} and {@code rate_limit.redis}
 * @param trustedProxies {@code rate_limit.trusted_proxies}: peers whose {@code X-Forwarded-For} is believed (default none)
 */
public record GatewayPolicies(String realm, JwtConfig jwt, ApiKeyConfig apiKeys, AssertionConfig assertion,
                              RateLimitStoreConfig rateLimitStore, List<Cidr> trustedProxies) {

    public GatewayPolicies {
        realm = Objects.requireNonNullElse(realm, Authenticators.DEFAULT_REALM);
        Objects.requireNonNull(assertion, "assertion");
        Objects.requireNonNull(rateLimitStore, "rateLimitStore");
        trustedProxies = List.copyOf(trustedProxies);
    }

    public static GatewayPolicies defaults() {
        return new GatewayPolicies(null, null, null, AssertionConfig.DEFAULT, RateLimitStoreConfig.MEMORY, List.of());
    }

    /**
     * Where rate-limit counters live.
     *
     * @param redisUrl null for the in-memory store (per instance), else {@code rate_limit.redis.url} (shared)
     * @param commandTimeout {@code rate_limit.redis.command_timeout}, default 250ms: a slower decision counts as a store failure
     * @param lease {@code rate_limit.redis.lease}, default {@code { max_units: 64, ttl: 1s }}; {@code off}: every request asks Redis
     */
    public record RateLimitStoreConfig(String redisUrl, Duration commandTimeout, RedisRateLimitStore.Lease lease) {

        public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(250);
        public static final RateLimitStoreConfig MEMORY = new RateLimitStoreConfig(null, DEFAULT_COMMAND_TIMEOUT, RedisRateLimitStore.Lease.DEFAULT);

        public RateLimitStoreConfig {
            lease = Objects.requireNonNullElse(lease, RedisRateLimitStore.Lease.DEFAULT);
        }

        public boolean redis() {
            return redisUrl != null;
        }
    }
}
