package io.atrium.router.registry;

/**
 * One change of the registry: which version it made, what happened to which subgraph, who did it and when, and
 * the hash of the SDL published (null for a delete) and of the supergraph that went live.
 */
public record HistoryEntry(long version, String action, String subgraph, String sdlHash, String supergraphHash,
                           long at, String by) {
    public static final String PUBLISH = "publish";
    public static final String DELETE = "delete";
    public static final String OPERATIONS = "operations";
    public static final String RETIRE = "retire";
}
