package io.atrium.router.connector;

import io.atrium.router.config.RouterConfig;
import io.atrium.router.supergraph.Subgraph;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.transport.SubgraphTransport;
import java.util.Optional;

/**
 * The seam between the protocol-blind planner/executor and protocol translation: a subgraph whose fields the router
 * answers itself (REST or gRPC calls declared in its schema) gets a {@link SubgraphTransport} from a provider, and the
 * executor sends it the same subgraph operation (root fields or {@code _entities}) it would send over HTTP.
 *
 * <p>{@link io.atrium.router.lifecycle.LiveSupergraph} asks every provider, in order, once per supergraph that goes
 * live; the first that returns a transport serves the subgraph. A provider keeps what is expensive (channels,
 * compiled selections) across supergraphs itself and frees it in {@link #close()}.
 */
public interface ConnectorProvider extends AutoCloseable {

    /**
     * @return a transport for this subgraph when its schema declares connectors this provider serves, else empty
     * @throws RuntimeException with a clear message when the subgraph declares connectors this provider cannot serve
     *                          (the supergraph is then refused and the current one stays live)
     */
    Optional<SubgraphTransport> connect(Supergraph supergraph, Subgraph subgraph, RouterConfig config);

    @Override
    default void close() {
    }
}
