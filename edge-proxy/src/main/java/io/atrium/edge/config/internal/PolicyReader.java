package io.atrium.edge.config.internal;

import io.atrium.edge.config.EdgeConfigException;
import io.atrium.edge.config.GatewayPolicies;
import io.atrium.edge.config.Protection;
import io.atrium.edge.config.RoutePolicies;
import io.atrium.policy.PolicySettings;
import io.atrium.policy.auth.ApiKeyConfig;
import io.atrium.policy.auth.JwtConfig;
import io.atrium.policy.auth.KeySource;
import io.atrium.policy.auth.RouteAccess;
import io.atrium.policy.identity.AssertionConfig;
import io.atrium.policy.ratelimit.Cidr;
import io.atrium.policy.ratelimit.Limit;
import io.atrium.policy.ratelimit.RateLimitConfig;
import io.atrium.policy.ratelimit.RateLimitKey;
import io.atrium.policy.ratelimit.RedisRateLimitStore;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the policy blocks: the global {@code auth}, {@code identity_assertion}, {@code rate_limit} and {@code limits}
 * blocks and the per-route {@code auth}, {@code rate_limit}, {@code max_request_body}, {@code cors}, {@code ip_filter}
 * and {@code redirect_to_https} keys. Route values override the global ones field by field.
 */
public final class PolicyReader {

    /** Route-default fields of the global {@code auth} block, or of a route's {@code auth}; null = not set. */
    public record AuthFields(Boolean enabled, Boolean enforce, Boolean isPublic, Set<RouteAccess.Credential> credentials,
                             Set<String> requiredScopes, Set<String> requiredRoles, Boolean forwardCredentials) {

        static final AuthFields NONE = new AuthFields(null, null, null, null, null, null, null);

        AuthFields over(AuthFields defaults) {
            return new AuthFields(pick(enabled, defaults.enabled), pick(enforce, defaults.enforce), pick(isPublic, defaults.isPublic),
                    pick(credentials, defaults.credentials), pick(requiredScopes, defaults.requiredScopes), pick(requiredRoles, defaults.requiredRoles),
                    pick(forwardCredentials, defaults.forwardCredentials));
        }
    }

    /** Route-default fields of the global {@code rate_limit} block, or of a route's {@code rate_limit}; null = not set. */
    public record RateLimitFields(Boolean enabled, Boolean enforce, RateLimitKey key, List<Limit> limits,
                                  RateLimitConfig.FailureMode onStoreFailure, String bucket) {

        static final RateLimitFields NONE = new RateLimitFields(null, null, null, null, null, null);

        RateLimitFields over(RateLimitFields defaults) {
            return new RateLimitFields(pick(enabled, defaults.enabled), pick(enforce, defaults.enforce), pick(key, defaults.key),
                    pick(limits, defaults.limits), pick(onStoreFailure, defaults.onStoreFailure), pick(bucket, defaults.bucket));
        }
    }

    /** What the global blocks contribute: the gateway set-up plus the defaults every route starts from. */
    public record Globals(GatewayPolicies gateway, AuthFields auth, RateLimitFields rateLimit, long maxRequestBody, int maxHeaderSize,
                          io.atrium.edge.config.ClientTimeouts timeouts, java.util.Map<String, YamlNode> transform) {
    }

    private static final java.util.regex.Pattern OCT_KEY = java.util.regex.Pattern.compile("\"kty\"\\s*:\\s*\"oct\"");
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private PolicyReader() {
    }

    // ---------------------------------------------------------------- global blocks

    public static Globals readGlobals(YamlNode.Obj top) {
        String realm = null;
        JwtConfig jwt = null;
        ApiKeyConfig apiKeys = null;
        AuthFields authDefaults = AuthFields.NONE;
        Optional<YamlNode> authNode = top.optional("auth");
        if (authNode.isPresent()) {
            YamlNode.Obj auth = authNode.get().object();
            realm = auth.optional("realm").map(YamlNode::nonBlankString).orElse(null);
            jwt = auth.optional("jwt").map(PolicyReader::readJwt).orElse(null);
            apiKeys = auth.optional("api_keys").map(PolicyReader::readApiKeys).orElse(null);
            authDefaults = readAuthFields(auth, false);
            auth.finish();
        }
        AssertionConfig assertion = top.optional("identity_assertion").map(PolicyReader::readAssertion).orElse(AssertionConfig.DEFAULT);

        GatewayPolicies.RateLimitStoreConfig store = GatewayPolicies.RateLimitStoreConfig.MEMORY;
        List<Cidr> trusted = List.of();
        RateLimitFields rateDefaults = RateLimitFields.NONE;
        Optional<YamlNode> rateNode = top.optional("rate_limit");
        if (rateNode.isPresent()) {
            YamlNode.Obj rate = rateNode.get().object();
            store = readStore(rate);
            trusted = rate.optional("trusted_proxies").map(PolicyReader::cidrs).orElse(List.of());
            rateDefaults = readRateLimitFields(rate, false);
            rate.finish();
        }

        long maxBody = Protection.DEFAULT_MAX_REQUEST_BODY;
        int maxHeader = io.atrium.edge.config.EdgeConfig.DEFAULT_MAX_HEADER_SIZE;
        io.atrium.edge.config.ClientTimeouts timeouts = io.atrium.edge.config.ClientTimeouts.DEFAULTS;
        Optional<YamlNode> limitsNode = top.optional("limits");
        if (limitsNode.isPresent()) {
            YamlNode.Obj limits = limitsNode.get().object();
            maxBody = limits.optional("max_request_body").map(n -> n.byteSize(0, Long.MAX_VALUE / 2)).orElse(maxBody);
            maxHeader = limits.optional("max_header_size").map(n -> (int) n.byteSize(1024, 1024 * 1024)).orElse(maxHeader);
            io.atrium.edge.config.ClientTimeouts d = timeouts;
            timeouts = new io.atrium.edge.config.ClientTimeouts(
                    limits.optional("idle_timeout").map(YamlNode::duration).orElse(d.idle()),
                    limits.optional("request_header_timeout").map(YamlNode::duration).orElse(d.requestHeader()),
                    limits.optional("request_body_timeout").map(YamlNode::duration).orElse(d.requestBody()),
                    limits.optional("response_write_timeout").map(YamlNode::duration).orElse(d.responseWrite()));
            limits.finish();
        }
        if (realm != null) {
            String checked = realm;
            build(authNode.get(), () -> new io.atrium.policy.auth.Authenticators(null, null, checked));
        }
        GatewayPolicies gateway = new GatewayPolicies(realm, jwt, apiKeys, assertion, store, trusted);
        java.util.Map<String, YamlNode> transform = TransformReader.leaves(top.optional("transform"));
        TransformReader.compile(transform, java.util.Map.of()); // the global block's own errors, reported once
        return new Globals(gateway, authDefaults, rateDefaults, maxBody, maxHeader, timeouts, transform);
    }

    private static JwtConfig readJwt(YamlNode node) {
        YamlNode.Obj jwt = node.object();
        List<String> issuers = jwt.required("issuers").stringList();
        List<String> audiences = jwt.required("audiences").stringList();
        Optional<YamlNode> jwksUrl = jwt.optional("jwks_url");
        Optional<YamlNode> keys = jwt.optional("keys");
        Set<String> algorithms = jwt.optional("algorithms").map(n -> (Set<String>) new LinkedHashSet<>(n.stringList())).orElse(null);
        Duration skew = jwt.optional("clock_skew").map(YamlNode::durationOrZero).orElse(null);
        jwt.finish();
        if (jwksUrl.isPresent() == keys.isPresent()) {
            throw node.error("exactly one of jwks_url and keys is required");
        }
        KeySource source = jwksUrl.isPresent() ? KeySource.Jwks.of(httpUrl(jwksUrl.get())) : new KeySource.Static(keys.get().stringList());
        if (keys.isPresent() && keys.get().stringList().stream().anyMatch(k -> OCT_KEY.matcher(k).find())
                && (algorithms == null || algorithms.stream().noneMatch(a -> a.startsWith("HS")))) {
            throw keys.get().error("an HMAC key (kty oct) needs HS256, HS384 or HS512 in auth.jwt.algorithms, "
                    + "which by default allows only RS256, PS256, ES256, EdDSA, Ed25519");
        }
        return build(node, () -> {
            JwtConfig config = new JwtConfig(issuers, audiences, algorithms, skew, source, null, 0);
            if (source instanceof KeySource.Static) {
                // Parses the keys now, so that a bad key fails the config load rather than the first request.
                io.atrium.policy.auth.JwtVerifier.create(config, null);
            }
            return config;
        });
    }

    private static ApiKeyConfig readApiKeys(YamlNode node) {
        YamlNode.Obj apiKeys = node.object();
        String header = apiKeys.optional("header").map(YamlNode::nonBlankString).orElse(null);
        String query = apiKeys.optional("query_parameter").map(YamlNode::nonBlankString).orElse(null);
        List<ApiKeyConfig.Consumer> consumers = new ArrayList<>();
        for (YamlNode consumerNode : apiKeys.required("consumers").list()) {
            YamlNode.Obj consumer = consumerNode.object();
            String name = consumer.required("name").nonBlankString();
            YamlNode digest = consumer.required("key_sha256");
            Set<String> scopes = consumer.optional("scopes").map(n -> Set.copyOf(n.stringList())).orElse(Set.of());
            Set<String> roles = consumer.optional("roles").map(n -> Set.copyOf(n.stringList())).orElse(Set.of());
            consumer.finish();
            consumers.add(build(digest, () -> new ApiKeyConfig.Consumer(name, digest.nonBlankString(), scopes, roles)));
        }
        apiKeys.finish();
        return build(node, () -> new ApiKeyConfig(header, query, consumers));
    }

    private static AssertionConfig readAssertion(YamlNode node) {
        YamlNode.Obj assertion = node.object();
        String issuer = assertion.optional("issuer").map(YamlNode::nonBlankString).orElse(null);
        String audience = assertion.optional("audience").map(YamlNode::nonBlankString).orElse(null);
        Duration ttl = assertion.optional("ttl").map(YamlNode::duration).orElse(null);
        String key = assertion.optional("signing_key").map(YamlNode::nonBlankString).orElse(null);
        assertion.finish();
        return build(node, () -> new AssertionConfig(issuer, audience, ttl, key, 0));
    }

    private static GatewayPolicies.RateLimitStoreConfig readStore(YamlNode.Obj rate) {
        String kind = rate.optional("store").map(n -> oneOf(n, "memory", "redis")).orElse("memory");
        Optional<YamlNode> redisNode = rate.optional("redis");
        if (kind.equals("memory")) {
            if (redisNode.isPresent()) {
                throw redisNode.get().error("only valid with store: redis");
            }
            return GatewayPolicies.RateLimitStoreConfig.MEMORY;
        }
        YamlNode node = redisNode.orElseThrow(() -> new EdgeConfigException(rate.node().path() + ".redis: required with store: redis"));
        YamlNode.Obj redis = node.object();
        YamlNode urlNode = redis.required("url");
        String url = urlNode.nonBlankString();
        if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw urlNode.error("must be a redis:// or rediss:// URL, was '" + url + "'");
        }
        Duration timeout = redis.optional("command_timeout").map(YamlNode::duration).orElse(GatewayPolicies.RateLimitStoreConfig.DEFAULT_COMMAND_TIMEOUT);
        RedisRateLimitStore.Lease lease = redis.optional("lease").map(PolicyReader::readLease).orElse(RedisRateLimitStore.Lease.DEFAULT);
        redis.finish();
        return new GatewayPolicies.RateLimitStoreConfig(url, timeout, lease);
    }

    /** {@code off} (YAML reads an unquoted off as false) or {@code { max_units, ttl }}. */
    private static RedisRateLimitStore.Lease readLease(YamlNode node) {
        if (Boolean.FALSE.equals(node.value()) || "off".equals(node.value())) {
            return RedisRateLimitStore.Lease.OFF;
        }
        if (!(node.value() instanceof Map<?, ?>)) {
            throw node.error("must be off or a mapping { max_units, ttl }");
        }
        YamlNode.Obj lease = node.object();
        int maxUnits = lease.optional("max_units").map(n -> n.integer(1, 1_000_000)).orElse(RedisRateLimitStore.Lease.DEFAULT.maxUnits());
        Duration ttl = lease.optional("ttl").map(YamlNode::duration).orElse(RedisRateLimitStore.Lease.DEFAULT.ttl());
        lease.finish();
        return build(node, () -> new RedisRateLimitStore.Lease(maxUnits, ttl));
    }

    // ---------------------------------------------------------------- per-route

    /** A route's policies: its own keys over the global defaults. */
    public static RoutePolicies readRoute(YamlNode.Obj route, Globals globals) {
        AuthFields authOwn = route.optional("auth").map(n -> {
            YamlNode.Obj auth = n.object();
            AuthFields fields = readAuthFields(auth, true);
            auth.finish();
            return fields;
        }).orElse(AuthFields.NONE);
        RoutePolicies.Auth auth = resolveAuth(authOwn.over(globals.auth()), route.node(), globals.gateway());

        Optional<YamlNode> rateNode = route.optional("rate_limit");
        RateLimitFields rateOwn = rateNode.map(n -> {
            YamlNode.Obj rate = n.object();
            RateLimitFields fields = readRateLimitFields(rate, true);
            rate.finish();
            return fields;
        }).orElse(RateLimitFields.NONE);
        Optional<RoutePolicies.RateLimit> rateLimit = resolveRateLimit(rateOwn.over(globals.rateLimit()),
                rateNode.orElse(route.node()));

        long maxBody = route.optional("max_request_body").map(n -> n.byteSize(0, Long.MAX_VALUE / 2)).orElse(globals.maxRequestBody());
        Optional<Protection.Cors> cors = route.optional("cors").map(PolicyReader::readCors);
        Protection.IpFilter ipFilter = route.optional("ip_filter").map(PolicyReader::readIpFilter).orElse(Protection.IpFilter.NONE);
        boolean redirect = route.optional("redirect_to_https").map(YamlNode::bool).orElse(false);
        return new RoutePolicies(auth, rateLimit, new Protection(maxBody, cors, ipFilter, redirect));
    }

    private static AuthFields readAuthFields(YamlNode.Obj auth, boolean route) {
        Boolean enabled = auth.optional("enabled").map(YamlNode::bool).orElse(null);
        Boolean enforce = auth.optional("enforce").map(YamlNode::bool).orElse(null);
        Boolean isPublic = route ? auth.optional("public").map(YamlNode::bool).orElse(null) : null;
        Set<RouteAccess.Credential> credentials = auth.optional("credentials").map(PolicyReader::credentials).orElse(null);
        Set<String> scopes = auth.optional("required_scopes").map(n -> Set.copyOf(n.stringList())).orElse(null);
        Set<String> roles = auth.optional("required_roles").map(n -> Set.copyOf(n.stringList())).orElse(null);
        Boolean forward = auth.optional("forward_credentials").map(YamlNode::bool).orElse(null);
        return new AuthFields(enabled, enforce, isPublic, credentials, scopes, roles, forward);
    }

    private static Set<RouteAccess.Credential> credentials(YamlNode node) {
        Set<RouteAccess.Credential> out = EnumSet.noneOf(RouteAccess.Credential.class);
        for (YamlNode item : node.list()) {
            out.add(switch (oneOf(item, "jwt", "api_key")) {
                case "jwt" -> RouteAccess.Credential.JWT;
                default -> RouteAccess.Credential.API_KEY;
            });
        }
        if (out.isEmpty()) {
            throw node.error("must name at least one of jwt, api_key");
        }
        return Set.copyOf(out);
    }

    private static RoutePolicies.Auth resolveAuth(AuthFields f, YamlNode routeNode, GatewayPolicies gateway) {
        PolicySettings settings = new PolicySettings(orTrue(f.enabled()), orTrue(f.enforce()));
        if (Boolean.TRUE.equals(f.isPublic())) {
            return new RoutePolicies.Auth(settings, RouteAccess.publicRoute(), true);
        }
        RouteAccess.Authenticated access = new RouteAccess.Authenticated(f.credentials(), f.requiredScopes(), f.requiredRoles());
        boolean usable = (access.accepts(RouteAccess.Credential.JWT) && gateway.jwt() != null)
                || (access.accepts(RouteAccess.Credential.API_KEY) && gateway.apiKeys() != null);
        if (settings.enabled() && !usable) {
            throw new EdgeConfigException(childPath(routeNode, "auth") + ": the route requires authentication (" + credentialNames(access)
                    + ") but auth." + (access.credentials().size() == 2 ? "jwt or auth.api_keys" : access.accepts(RouteAccess.Credential.JWT) ? "jwt" : "api_keys")
                    + " is not configured; configure it, or mark the route public explicitly with auth: { public: true }");
        }
        return new RoutePolicies.Auth(settings, access, Boolean.TRUE.equals(f.forwardCredentials()));
    }

    private static String credentialNames(RouteAccess.Authenticated access) {
        List<String> names = new ArrayList<>();
        if (access.accepts(RouteAccess.Credential.JWT)) {
            names.add("jwt");
        }
        if (access.accepts(RouteAccess.Credential.API_KEY)) {
            names.add("api_key");
        }
        return String.join(" or ", names);
    }

    private static RateLimitFields readRateLimitFields(YamlNode.Obj rate, boolean route) {
        Boolean enabled = rate.optional("enabled").map(YamlNode::bool).orElse(null);
        Boolean enforce = rate.optional("enforce").map(YamlNode::bool).orElse(null);
        RateLimitKey key = rate.optional("key").map(PolicyReader::rateLimitKey).orElse(null);
        List<Limit> limits = rate.optional("limits").map(PolicyReader::limits).orElse(null);
        RateLimitConfig.FailureMode failure = rate.optional("on_store_failure")
                .map(n -> RateLimitConfig.FailureMode.valueOf(oneOf(n, "open", "closed").toUpperCase(Locale.ROOT))).orElse(null);
        String bucket = route ? rate.optional("bucket").map(YamlNode::nonBlankString).orElse(null) : null;
        return new RateLimitFields(enabled, enforce, key, limits, failure, bucket);
    }

    private static RateLimitKey rateLimitKey(YamlNode node) {
        String text = node.nonBlankString();
        if (text.startsWith("header:") && text.length() > "header:".length()) {
            return new RateLimitKey.Header(text.substring("header:".length()).strip());
        }
        return switch (text) {
            case "consumer" -> new RateLimitKey.Consumer();
            case "subject" -> new RateLimitKey.Subject();
            case "client_ip" -> new RateLimitKey.ClientIp();
            case "route" -> new RateLimitKey.Route();
            default -> throw node.error("unknown key '" + text + "' (use consumer, subject, client_ip, route or header:<name>)");
        };
    }

    private static List<Limit> limits(YamlNode node) {
        List<Limit> out = new ArrayList<>();
        for (YamlNode item : node.list()) {
            YamlNode.Obj limit = item.object();
            long requests = limit.required("requests").integer(1, Integer.MAX_VALUE);
            Duration period = limit.optional("period").map(YamlNode::duration).orElse(Duration.ofSeconds(1));
            long burst = limit.optional("burst").map(n -> n.integer(1, Integer.MAX_VALUE)).orElse(0);
            limit.finish();
            out.add(build(item, () -> new Limit(requests, period, burst)));
        }
        if (out.isEmpty()) {
            throw node.error("at least one limit is required");
        }
        return List.copyOf(out);
    }

    private static Optional<RoutePolicies.RateLimit> resolveRateLimit(RateLimitFields f, YamlNode node) {
        boolean enabled = f.enabled() == null ? f.limits() != null : f.enabled();
        if (!enabled) {
            return Optional.empty();
        }
        if (f.limits() == null) {
            throw new EdgeConfigException(childPath(node, "limits") + ": rate limiting is enabled but no limits are set here or in the global rate_limit block");
        }
        RateLimitKey key = f.key() == null ? new RateLimitKey.Consumer() : f.key();
        RateLimitConfig config = new RateLimitConfig(key, f.limits(), f.bucket(), f.onStoreFailure());
        return Optional.of(new RoutePolicies.RateLimit(new PolicySettings(true, orTrue(f.enforce())), config));
    }

    private static Protection.Cors readCors(YamlNode node) {
        YamlNode.Obj cors = node.object();
        YamlNode originsNode = cors.required("allow_origins");
        Set<String> origins = Set.copyOf(originsNode.stringList());
        if (origins.isEmpty()) {
            throw originsNode.error("at least one origin (or \"*\") is required");
        }
        List<String> methods = cors.optional("allow_methods").map(PolicyReader::methods).orElse(Protection.Cors.DEFAULT_METHODS);
        List<String> headers = cors.optional("allow_headers").map(YamlNode::stringList).orElse(List.of());
        List<String> expose = cors.optional("expose_headers").map(YamlNode::stringList).orElse(List.of());
        boolean credentials = cors.optional("allow_credentials").map(YamlNode::bool).orElse(false);
        Duration maxAge = cors.optional("max_age").map(YamlNode::duration).orElse(Protection.Cors.DEFAULT_MAX_AGE);
        cors.finish();
        if (credentials && origins.contains("*")) {
            throw originsNode.error("\"*\" cannot be combined with allow_credentials: true; list the origins");
        }
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw originsNode.error("'" + origin + "' is not an origin (scheme://host[:port], no path)");
            }
        }
        return new Protection.Cors(origins, methods, headers, expose, credentials, maxAge);
    }

    private static List<String> methods(YamlNode node) {
        List<String> out = new ArrayList<>();
        for (YamlNode item : node.list()) {
            String method = item.nonBlankString().toUpperCase(Locale.ROOT);
            if (!KNOWN_METHODS.contains(method)) {
                throw item.error("unknown method '" + method + "'");
            }
            out.add(method);
        }
        return List.copyOf(out);
    }

    private static Protection.IpFilter readIpFilter(YamlNode node) {
        YamlNode.Obj filter = node.object();
        List<Cidr> allow = filter.optional("allow").map(PolicyReader::cidrs).orElse(List.of());
        List<Cidr> deny = filter.optional("deny").map(PolicyReader::cidrs).orElse(List.of());
        filter.finish();
        return new Protection.IpFilter(allow, deny);
    }

    private static List<Cidr> cidrs(YamlNode node) {
        List<Cidr> out = new ArrayList<>();
        for (YamlNode item : node.list()) {
            String text = item.nonBlankString();
            out.add(build(item, () -> Cidr.parse(text)));
        }
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------- helpers

    private static URI httpUrl(YamlNode node) {
        String text = node.nonBlankString();
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw node.error("must be an http:// or https:// URL, was '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw node.error("not a URL: '" + text + "'");
        }
    }

    private static String oneOf(YamlNode node, String... allowed) {
        String value = node.nonBlankString();
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw node.error("must be one of " + String.join(", ", allowed) + ", was '" + value + "'");
    }

    /** Runs a shared-policies constructor, turning its validation message into an error at {@code node}'s path. */
    private static <T> T build(YamlNode node, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static String childPath(YamlNode node, String key) {
        return node.path().isEmpty() ? key : node.path() + "." + key;
    }

    private static boolean orTrue(Boolean value) {
        return value == null || value;
    }

    private static <T> T pick(T own, T fallback) {
        return own != null ? own : fallback;
    }
}
