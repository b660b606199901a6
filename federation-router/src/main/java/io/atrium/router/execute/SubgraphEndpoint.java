package io.atrium.router.execute;

import java.net.URI;
import java.time.Duration;

/**
 * Where, how and how long to call one subgraph.
 *
 * @param h2c         ask for HTTP/2 (h2c upgrade on http URLs), see {@code RouterConfig.Protocol}
 * @param headerRules the header rules for its requests (those for all subgraphs first)
 * @param connector   the transport of a connector subgraph (the router answers its fetches by calling REST or gRPC
 *                    backends, see {@link io.atrium.router.connector.ConnectorProvider}); null = GraphQL over HTTP
 */
public record SubgraphEndpoint(URI url, Duration timeout, boolean h2c,
                               java.util.List<io.atrium.router.config.HeaderRule> headerRules,
                               io.atrium.router.transport.SubgraphTransport connector) {
    public SubgraphEndpoint {
        headerRules = java.util.List.copyOf(headerRules);
    }

    public SubgraphEndpoint(URI url, Duration timeout, boolean h2c,
                            java.util.List<io.atrium.router.config.HeaderRule> headerRules) {
        this(url, timeout, h2c, headerRules, null);
    }

    public SubgraphEndpoint(URI url, Duration timeout) {
        this(url, timeout, false, java.util.List.of());
    }
}
