package io.atrium.graphql.identity;

import io.atrium.graphql.config.ConfigMaps;
import io.atrium.graphql.config.GraphQLConfigException;
import io.atrium.policy.auth.ClaimMapping;
import io.atrium.policy.auth.JwtConfig;
import io.atrium.policy.auth.KeySource;
import io.atrium.policy.identity.AssertionVerifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code identity} block of an endpoint:
 *
 * <pre>
 * identity:
 *   source: none                 # none | edge_assertion | jwt | [edge_assertion, jwt] (either credential; the
 *                                # assertion wins when both come); default none
 *   required: false              # true: a request without an identity is refused (401 UNAUTHENTICATED); default false
 *   client: header               # header | consumer: who the client is (trusted documents, limits, cost budget):
 *                                # the apollographql-client-name header, or the verified caller's consumer claim
 *                                # (the edge assertion's, a JWT's azp) when it has one; default header
 *   edge_assertion:              # with source: edge_assertion
 *     jwks_url: http://127.0.0.1:9901/.well-known/jwks.json   # required: the edge's admin port
 *     issuer: atrium-edge        # default atrium-edge
 *     audience: atrium-internal  # default atrium-internal
 *   jwt:                         # with source: jwt (the edge's auth.jwt options)
 *     jwks_url: https://issuer.example/.well-known/jwks.json  # required
 *     issuers: [https://issuer.example/]                      # required
 *     audiences: [atrium]                                     # required
 *     algorithms: [RS256, ES256]                              # default RS256, PS256, ES256, EdDSA, Ed25519
 *     scopes_claim: scope        # default scope (scp when absent)
 *     roles_claim: roles         # default roles
 *     consumer_claim: azp        # default azp (client_id when absent)
 * </pre>
 *
 * @param assertion set when the edge's assertion is accepted (source {@code edge_assertion}, or both)
 * @param jwt       set when client JWTs are accepted (source {@code jwt}, or both)
 * @param clientFromConsumer the verified caller's consumer, when it has one, names the client (not the header)
 */
public record IdentityConfig(IdentitySource source, boolean required, AssertionVerifier.Config assertion, JwtConfig jwt,
                             boolean clientFromConsumer) {
    public static final IdentityConfig DEFAULTS = new IdentityConfig(IdentitySource.NONE, false, null, null, false);

    /** Where the client name comes from. */
    public enum ClientSource { HEADER, CONSUMER }

    public IdentityConfig(IdentitySource source, boolean required, AssertionVerifier.Config assertion, JwtConfig jwt) {
        this(source, required, assertion, jwt, false);
    }

    public static IdentityConfig read(Object value, String path) {
        if (value == null) {
            return DEFAULTS;
        }
        Map<String, Object> block = ConfigMaps.map(value, path);
        ConfigMaps.checkKeys(block, Set.of("source", "required", "client", "edge_assertion", "jwt"), path);
        // source: one of none | edge_assertion | jwt, or both credentials: [edge_assertion, jwt] (a router behind the
        // edge that is also called by a BFF with its user's access token)
        boolean both = false;
        if (block.get("source") instanceof List<?> list) {
            if (!(list.size() == 2 && list.contains("edge_assertion") && list.contains("jwt"))) {
                throw new GraphQLConfigException(path + ".source: a list must be [edge_assertion, jwt]");
            }
            both = true;
            block = new java.util.LinkedHashMap<>(block);
            block.put("source", "edge_assertion");
        }
        IdentitySource source = ConfigMaps.choice(block, "source", IdentitySource.NONE, IdentitySource.class, path);
        boolean required = ConfigMaps.bool(block, "required", false, path);
        if (required && source == IdentitySource.NONE) {
            throw new GraphQLConfigException(path + ".required: needs a source (edge_assertion or jwt)");
        }
        AssertionVerifier.Config assertion = null;
        JwtConfig jwt = null;
        if (source == IdentitySource.EDGE_ASSERTION) {
            String at = path + ".edge_assertion";
            Map<String, Object> own = ConfigMaps.map(block.get("edge_assertion"), at);
            ConfigMaps.checkKeys(own, Set.of("jwks_url", "issuer", "audience"), at);
            assertion = new AssertionVerifier.Config(ConfigMaps.string(own, "issuer", null, at),
                    ConfigMaps.string(own, "audience", null, at), KeySource.Jwks.of(url(own, at)), null);
        } else if (block.containsKey("edge_assertion")) {
            throw new GraphQLConfigException(path + ".edge_assertion: only with source: edge_assertion");
        }
        if (source == IdentitySource.JWT || both) {
            String at = path + ".jwt";
            Map<String, Object> own = ConfigMaps.map(block.get("jwt"), at);
            ConfigMaps.checkKeys(own, Set.of("jwks_url", "issuers", "audiences", "algorithms", "scopes_claim",
                    "roles_claim", "consumer_claim"), at);
            try {
                jwt = new JwtConfig(strings(own, "issuers", at, true), strings(own, "audiences", at, true),
                        new LinkedHashSet<>(strings(own, "algorithms", at, false)), null, KeySource.Jwks.of(url(own, at)),
                        new ClaimMapping(ConfigMaps.string(own, "scopes_claim", null, at),
                                ConfigMaps.string(own, "roles_claim", null, at),
                                ConfigMaps.string(own, "consumer_claim", null, at), null), 0);
            } catch (IllegalArgumentException e) {
                throw new GraphQLConfigException(at + ": " + e.getMessage());
            }
        } else if (block.containsKey("jwt")) {
            throw new GraphQLConfigException(path + ".jwt: only with source: jwt (or [edge_assertion, jwt])");
        }
        ClientSource client = ConfigMaps.choice(block, "client", ClientSource.HEADER, ClientSource.class, path);
        if (client == ClientSource.CONSUMER && source == IdentitySource.NONE) {
            throw new GraphQLConfigException(path + ".client: consumer needs a source (edge_assertion or jwt)");
        }
        return new IdentityConfig(source, required, assertion, jwt, client == ClientSource.CONSUMER);
    }

    private static URI url(Map<String, Object> block, String path) {
        String text = ConfigMaps.string(block, "jwks_url", null, path);
        if (text == null) {
            throw new GraphQLConfigException(path + ".jwks_url: required");
        }
        URI uri = URI.create(text);
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
            throw new GraphQLConfigException(path + ".jwks_url: expected an http(s) URL");
        }
        return uri;
    }

    private static List<String> strings(Map<String, Object> block, String key, String path, boolean required) {
        Object value = block.get(key);
        if (value == null) {
            if (required) {
                throw new GraphQLConfigException(path + "." + key + ": required (a list of strings)");
            }
            return List.of();
        }
        if (!(value instanceof List<?> list) || (required && list.isEmpty())) {
            throw new GraphQLConfigException(path + "." + key + ": expected a non-empty list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s) || s.isBlank()) {
                throw new GraphQLConfigException(path + "." + key + ": expected strings, got " + item);
            }
            out.add(s);
        }
        return out;
    }
}
