package io.atrium.router.connector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.atrium.router.connector.internal.OperationRun;
import io.atrium.router.transport.SubgraphFetchException;
import io.atrium.router.transport.SubgraphRequest;
import io.atrium.router.transport.SubgraphResponse;
import io.atrium.router.transport.SubgraphTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link SubgraphTransport} of a connector subgraph: it executes the planner's subgraph operation (root fields,
 * or {@code _entities} for a batch of representations) in the router, calling the subgraph's resolvers, and answers
 * a GraphQL response exactly as a GraphQL subgraph would. Protocol-neutral: REST and gRPC connectors only supply
 * resolvers ({@link ConnectorSubgraph}).
 *
 * <p>Entity batches go to {@link EntityResolver}s chunked and concurrency-capped as each declares; a field resolver
 * runs once per parent object. Failures become {@code null} plus a GraphQL error with the path the planner expects.
 */
public final class ConnectorTransport implements SubgraphTransport {

    private final ConnectorSubgraph subgraph;
    private final String cacheControl;
    /** Subgraph operations come from cached plans: a few distinct texts per subgraph. */
    private final Cache<String, OperationRun.Compiled> documents = Caffeine.newBuilder().maximumSize(2_000).build();

    public ConnectorTransport(ConnectorSubgraph subgraph) {
        this(subgraph, null);
    }

    /**
     * @param cacheControl the {@code Cache-Control} of a fetch whose backend calls carry none of their own (gRPC) or
     *                     that made no call; null = such a fetch has none
     */
    public ConnectorTransport(ConnectorSubgraph subgraph, String cacheControl) {
        this.subgraph = subgraph;
        this.cacheControl = cacheControl;
    }

    public ConnectorSubgraph subgraph() {
        return subgraph;
    }

    @Override
    public CompletionStage<SubgraphResponse> fetch(SubgraphRequest request) {
        OperationRun.Compiled document;
        try {
            document = documents.get(request.query(), text -> new OperationRun.Compiled(Parser.parse(text), text));
        } catch (InvalidSyntaxException e) {
            return CompletableFuture.failedFuture(new SubgraphFetchException("connector subgraph '"
                    + request.subgraphName() + "' got an operation that does not parse: " + e.getMessage()));
        }
        long deadline = System.nanoTime() + request.timeout().toNanos();
        CallContext context = new CallContext(request.subgraphName(), request.headers(), deadline, request.spans());
        CompletionStage<SubgraphResponse> run = new OperationRun(subgraph, document, request.operationName(),
                request.variables(), context).run();
        return cacheControl == null ? run : run.thenApply(response -> response.cacheControl() != null ? response
                : new SubgraphResponse(response.data(), response.errors(), response.status(), cacheControl));
    }
}
