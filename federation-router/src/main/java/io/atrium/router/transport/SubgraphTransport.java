package io.atrium.router.transport;

import java.util.concurrent.CompletionStage;

/** Sends one operation to one subgraph. Completes exceptionally with {@link SubgraphFetchException}. */
public interface SubgraphTransport {
    CompletionStage<SubgraphResponse> fetch(SubgraphRequest request);
}
