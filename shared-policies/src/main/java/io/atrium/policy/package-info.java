/**
 * The policy SPI every Atrium deployable shares.
 *
 * <p>A {@link io.atrium.policy.Policy} gets one {@link io.atrium.policy.PolicyContext} (the
 * {@link io.atrium.policy.PolicyRequest} view plus what earlier policies established) and returns a closed
 * {@link io.atrium.policy.Decision}. Policies are built once per route at config load and composed into a
 * {@link io.atrium.policy.PolicyChain}, which applies the {@link io.atrium.policy.PolicySettings} switches
 * ({@code enabled}, {@code enforce}) and counts outcomes as {@code atrium.policy.<policy>.<outcome>}.
 *
 * <p>Wiring one route (edge proxy, at config load):
 * <pre>{@code
 * // gateway-wide, once
 * JwtVerifier jwt = JwtVerifier.create(JwtConfig.of(issuer, audience, KeySource.Jwks.of(jwksUrl)), httpClient);
 * Authenticators authenticators = new Authenticators(jwt, new ApiKeyAuthenticator(apiKeyConfig), "atrium");
 * RateLimitStore store = RedisRateLimitStore.connect(RedisRateLimitStore.Config.of("redis://redis:6379"));
 * ClientAddressResolver addresses = new ClientAddressResolver(List.of(Cidr.parse("10.0.0.0/8")));
 * AssertionSigner signer = AssertionSigner.create(AssertionConfig.DEFAULT);
 *
 * // per route
 * PolicyChain chain = PolicyChain.of(route.id(), List.of(
 *         new PolicyChain.Entry(authenticators.forRoute(RouteAccess.requiring(Set.of("orders:read"), Set.of())), PolicySettings.DEFAULT),
 *         new PolicyChain.Entry(new RateLimitPolicy(route.id(), RateLimitConfig.of(new RateLimitKey.Consumer(),
 *                 Limit.perSecond(20), Limit.of(1000, Duration.ofHours(1))), store, addresses), PolicySettings.DEFAULT),
 *         new PolicyChain.Entry(new IdentityPropagationPolicy(signer), PolicySettings.DEFAULT)), meterRegistry);
 *
 * // per request
 * chain.evaluate(PolicyContext.of(requestView, requestId)) -> Continue (set upstreamHeaders on the upstream request,
 *         add responseHeaders to the response) or Reply (send problem.toJson() as application/problem+json with headers)
 * }</pre>
 */
package io.atrium.policy;
