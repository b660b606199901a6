package io.atrium.router.execute;

import java.net.URI;
import java.time.Duration;

/**
 * Where, how and how long to call one subgraph.
 *
 * @param h2c         ask for HTTP/2 (h2c upgrade on http URLs), see {@code RouterConfig.Protocol}
 * @param headerRules the header rules for its requests (those for all subgraphs first)
 */
public record SubgraphEndpoint(URI url, Duration timeout, boolean h2c,
                               java.util.List<io.atrium.router.config.HeaderRule> headerRules) {
    public SubgraphEndpoint {
        headerRules = java.util.List.copyOf(headerRules);
    }

    public SubgraphEndpoint(URI url, Duration timeout) {
        this(url, timeout, false, java.util.List.of());
    }
}
