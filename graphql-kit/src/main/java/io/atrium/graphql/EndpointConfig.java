package io.atrium.graphql;

import io.atrium.graphql.limits.LimitsConfig;

/**
 * The graphql-kit blocks of one GraphQL endpoint's config (the router's YAML, a BFF's), each read strictly by its own
 * {@code read(block, path)} and defaulted when absent.
 *
 * @param limits operation limits and the request body size
 */
public record EndpointConfig(LimitsConfig limits) {
    public static final EndpointConfig DEFAULTS = new EndpointConfig(LimitsConfig.DEFAULTS);
}
