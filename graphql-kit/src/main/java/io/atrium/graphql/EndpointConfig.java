package io.atrium.graphql;

import io.atrium.graphql.authz.AuthorizationConfig;
import io.atrium.graphql.cost.CostConfig;
import io.atrium.graphql.http.BatchingConfig;
import io.atrium.graphql.identity.IdentityConfig;
import io.atrium.graphql.limits.LimitsConfig;
import io.atrium.graphql.trusted.TrustedDocumentsConfig;

/**
 * The graphql-kit blocks of one GraphQL endpoint's config (the router's YAML, a BFF's), each read strictly by its own
 * {@code read(block, path)} and defaulted when absent.
 *
 * @param limits           operation limits and the request body size
 * @param trustedDocuments trusted documents per client and APQ
 * @param identity         how the caller is established (edge assertion, JWT, none)
 * @param authorization    how the schema's authorization directives are applied
 * @param demandControl    the estimated-cost limit ({@code @cost}, {@code @listSize})
 * @param batching         several operations in one POST (off by default)
 */
public record EndpointConfig(LimitsConfig limits, TrustedDocumentsConfig trustedDocuments, IdentityConfig identity,
                             AuthorizationConfig authorization, CostConfig demandControl, BatchingConfig batching) {
    public static final EndpointConfig DEFAULTS = new EndpointConfig(LimitsConfig.DEFAULTS, TrustedDocumentsConfig.DEFAULTS,
            IdentityConfig.DEFAULTS, AuthorizationConfig.DEFAULTS, CostConfig.DEFAULTS);

    public EndpointConfig {
        batching = batching == null ? BatchingConfig.DEFAULTS : batching;
    }

    /** Without batching (its default: off). */
    public EndpointConfig(LimitsConfig limits, TrustedDocumentsConfig trustedDocuments, IdentityConfig identity,
                          AuthorizationConfig authorization, CostConfig demandControl) {
        this(limits, trustedDocuments, identity, authorization, demandControl, BatchingConfig.DEFAULTS);
    }

    /** Reads the kit's blocks of an endpoint config ({@code limits}, {@code trusted_documents}, {@code apq}, {@code identity},
     * {@code authorization}, {@code demand_control}, {@code batching}). */
    public static EndpointConfig read(java.util.Map<String, Object> top) {
        return new EndpointConfig(LimitsConfig.read(top.get("limits"), "limits"),
                TrustedDocumentsConfig.read(top.get("trusted_documents"), top.get("apq"), "trusted_documents", "apq"),
                IdentityConfig.read(top.get("identity"), "identity"),
                AuthorizationConfig.read(top.get("authorization"), "authorization"),
                CostConfig.read(top.get("demand_control"), "demand_control"),
                BatchingConfig.read(top.get("batching"), "batching"));
    }

    /** The same config with relative file paths (manifests) resolved against the config file's directory. */
    public EndpointConfig resolveAgainst(java.nio.file.Path dir) {
        return new EndpointConfig(limits, trustedDocuments.resolveAgainst(dir), identity, authorization, demandControl,
                batching);
    }
}
