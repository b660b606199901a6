package io.atrium.router.execute;

import java.net.URI;
import java.time.Duration;

/** Where and how long to call one subgraph. */
public record SubgraphEndpoint(URI url, Duration timeout) {
}
