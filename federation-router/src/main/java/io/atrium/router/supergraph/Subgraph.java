package io.atrium.router.supergraph;

/**
 * One subgraph named by the supergraph's {@code join__Graph} enum.
 *
 * @param name      the subgraph name ({@code @join__graph(name:)})
 * @param graphEnum the enum value used to refer to it in {@code graph:} arguments
 * @param url       the routing URL from the supergraph (may be empty)
 */
public record Subgraph(String name, String graphEnum, String url) {
}
