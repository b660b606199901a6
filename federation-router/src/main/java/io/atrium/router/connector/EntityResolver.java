package io.atrium.router.connector;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Resolves entities of one type of a connector subgraph from their representations ({@code _entities}).
 * {@link #batching()} says how: one call for many keys (the backend has a batch endpoint or RPC) or one call per
 * key; the runtime chunks, caps concurrency and matches results back (see {@link EntityBatching}).
 */
public interface EntityResolver {

    EntityBatching batching();

    /**
     * @param call the representations of this call: at most {@code batching().maxSize()} when batched, exactly one
     *             otherwise
     * @return the entities as JSON objects (or nulls). Batched by key: any order, missing ones left out; batched by
     *         position: one per representation, in order; single: a list of one (or empty when not found). The
     *         runtime reads each entity over its representation: fields an entity leaves out (its key) are the
     *         representation's, and {@code __typename} is always the representation's.
     */
    CompletionStage<List<Object>> resolve(EntityCall call);
}
