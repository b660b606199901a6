package io.atrium.router.registry;

import java.util.Objects;

/**
 * One registered subgraph.
 *
 * @param sdlHash     sha256 of the SDL (hex), what the history and {@code list} show
 * @param publishedAt epoch milliseconds of the publish that made this version
 * @param publishedBy who published it (the admin caller's name), never a secret
 */
public record SubgraphRecord(String name, String routingUrl, String sdl, String sdlHash, long publishedAt,
                             String publishedBy) {
    public SubgraphRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(routingUrl, "routingUrl");
        Objects.requireNonNull(sdl, "sdl");
    }
}
