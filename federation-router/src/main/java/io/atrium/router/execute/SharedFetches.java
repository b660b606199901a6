package io.atrium.router.execute;

import io.atrium.router.transport.SubgraphRequest;
import io.atrium.router.transport.SubgraphResponse;
import io.atrium.router.transport.SubgraphTransport;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subgraph fetches of one client batch (a JSON array of operations in one POST): a query fetch identical to one
 * an earlier element of the batch made (same subgraph, document, operation name, variables and forwarded headers —
 * {@link SubgraphRequest.Identical}) is not sent again; it gets its own copy of that fetch's answer, in flight or done.
 * A batch is one caller at one moment, so its elements read one snapshot, as a request's own fetches do. Mutations
 * are never shared: each element's mutation runs. Shared fetches count in {@value #METER}.
 */
public final class SharedFetches {
    static final String METER = "atrium.router.batch.shared_fetches";

    private final Map<SubgraphRequest.Identical, CompletableFuture<SubgraphResponse>> fetched = new ConcurrentHashMap<>();

    /**
     * The answer to {@code request}: fetched through {@code via} when it is the batch's first such fetch (then
     * {@code sent} runs), else the first one's.
     */
    CompletionStage<SubgraphResponse> fetch(SubgraphRequest request, SubgraphTransport via, Runnable sent) {
        if (request.mutation()) {
            sent.run();
            return via.fetch(request);
        }
        boolean[] sentNow = {false};
        CompletableFuture<SubgraphResponse> first = fetched.computeIfAbsent(request.identical(), key -> {
            sentNow[0] = true;
            sent.run();
            return via.fetch(request).toCompletableFuture();
        });
        if (!sentNow[0]) {
            Metrics.counter(METER, "subgraph", request.subgraphName()).increment();
        }
        // each element merges into (mutates) its answer: every one gets a copy of the kept one
        return first.thenApply(SubgraphResponse::copy);
    }
}
