package io.atrium.router.compose;

import java.util.Objects;

/**
 * One subgraph as a team registers it.
 *
 * @param name       the subgraph's name (becomes {@code @join__graph(name:)}; its enum value is derived from it)
 * @param routingUrl where the router sends this subgraph's fetches
 * @param sdl        the subgraph schema (Federation 2 with {@code @link}, or Federation 1 without)
 */
public record SubgraphSource(String name, String routingUrl, String sdl) {
    public SubgraphSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(routingUrl, "routingUrl");
        Objects.requireNonNull(sdl, "sdl");
    }
}
