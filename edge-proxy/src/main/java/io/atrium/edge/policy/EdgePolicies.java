package io.atrium.edge.policy;

import io.atrium.edge.config.GatewayPolicies;
import io.atrium.edge.config.RouteConfig;
import io.atrium.edge.config.RoutePolicies;
import io.atrium.policy.PolicyChain;
import io.atrium.policy.PolicySettings;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import io.atrium.policy.auth.Authenticators;
import io.atrium.policy.auth.JwtVerifier;
import io.atrium.policy.identity.AssertionSigner;
import io.atrium.policy.identity.IdentityPropagationPolicy;
import io.atrium.policy.ratelimit.ClientAddressResolver;
import io.atrium.policy.ratelimit.InMemoryRateLimitStore;
import io.atrium.policy.ratelimit.RateLimitPolicy;
import io.atrium.policy.ratelimit.RateLimitStore;
import io.atrium.policy.ratelimit.RedisRateLimitStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The gateway-wide policy objects of one config (authenticators, rate-limit store, assertion signer), built once at
 * load, and the per-route chains built from them: authenticate and authorize, then rate limit (after auth, so that it
 * can count by consumer), then forward the identity. Nothing here is looked up per request.
 *
 * <p>A reload builds a new instance and hands it the previous one: the assertion signer (and with it a generated
 * signing key that services have already fetched) and the rate-limit store survive when their config is unchanged.
 */
public final class EdgePolicies implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgePolicies.class);

    private final GatewayPolicies config;
    private final MeterRegistry registry;
    private final HttpClient http;
    private final Authenticators authenticators;
    private final AssertionSigner signer;
    private final RateLimitStore store;
    private final ClientAddressResolver addresses;
    private final IdentityPropagationPolicy identity;

    private EdgePolicies(GatewayPolicies config, MeterRegistry registry, EdgePolicies previous) {
        this.config = config;
        this.registry = registry;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JwtVerifier jwt = config.jwt() == null ? null : JwtVerifier.create(config.jwt(), http);
        ApiKeyAuthenticator apiKeys = config.apiKeys() == null ? null : new ApiKeyAuthenticator(config.apiKeys());
        this.authenticators = new Authenticators(jwt, apiKeys, config.realm());
        this.signer = previous != null && previous.config.assertion().equals(config.assertion())
                ? previous.signer : AssertionSigner.create(config.assertion());
        this.store = previous != null && previous.config.rateLimitStore().equals(config.rateLimitStore())
                ? previous.store : newStore(config.rateLimitStore());
        this.addresses = new ClientAddressResolver(config.trustedProxies());
        this.identity = new IdentityPropagationPolicy(signer);
        if (jwt != null) {
            // Fetch the issuer's keys at start rather than on the first request; failures are retried on demand.
            jwt.warmUp().exceptionally(failure -> {
                LOG.warn("could not fetch the JWKS at start; will retry on the first token: {}", failure.toString());
                return null;
            });
        }
    }

    /** Policies for {@code config}; {@code previous} (may be null) lends its signer and store when their config is unchanged. */
    public static EdgePolicies create(GatewayPolicies config, MeterRegistry registry, EdgePolicies previous) {
        return new EdgePolicies(Objects.requireNonNull(config), Objects.requireNonNull(registry), previous);
    }

    private static RateLimitStore newStore(GatewayPolicies.RateLimitStoreConfig config) {
        if (!config.redis()) {
            return new InMemoryRateLimitStore(InMemoryRateLimitStore.DEFAULT_MAXIMUM_KEYS);
        }
        return RedisRateLimitStore.connect(new RedisRateLimitStore.Config(config.redisUrl(), null, config.commandTimeout(), null, config.lease()));
    }

    /** The chain of {@code route}, or null when it has nothing to run (a public route without a rate limit). */
    public PolicyChain chainFor(RouteConfig route) {
        RoutePolicies policies = route.policies();
        List<PolicyChain.Entry> entries = new ArrayList<>(3);
        boolean authenticated = !policies.auth().isPublic();
        if (authenticated) {
            entries.add(new PolicyChain.Entry(authenticators.forRoute(policies.auth().access()), policies.auth().settings()));
        }
        policies.rateLimit().ifPresent(limit -> entries.add(new PolicyChain.Entry(
                new RateLimitPolicy(route.name(), limit.config(), store, addresses), limit.settings())));
        if (authenticated) {
            entries.add(new PolicyChain.Entry(identity, PolicySettings.DEFAULT));
        }
        return entries.isEmpty() ? null : PolicyChain.of(route.name(), entries, registry);
    }

    /** The public keys of the internal assertion, served at {@code /.well-known/jwks.json} on the admin port. */
    public String assertionJwks() {
        return signer.jwks();
    }

    public RateLimitStore store() {
        return store;
    }

    /**
     * Releases what {@code next} (the config that replaces this one, or null at shutdown) does not reuse.
     */
    public void closeReplacedBy(EdgePolicies next) {
        if (next == null || next.store != store) {
            closeStore();
        }
        http.shutdown();
    }

    @Override
    public void close() {
        closeReplacedBy(null);
    }

    private void closeStore() {
        try {
            store.close();
        } catch (Exception e) {
            LOG.warn("closing the rate-limit store failed: {}", e.toString());
        }
    }
}
