package io.atrium.router.http;

import io.atrium.graphql.cost.DemandControl;
import io.atrium.graphql.identity.IdentityResolver;
import io.atrium.graphql.limits.LimitsPolicy;
import io.atrium.graphql.trusted.DocumentResolver;
import io.atrium.router.config.RouterConfig;
import io.atrium.router.lifecycle.LiveSupergraph;
import io.atrium.router.lifecycle.SupergraphLifecycle;
import io.micrometer.core.instrument.Metrics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The router's GraphQL endpoint as the HTTP layer sees it: the request pipeline built once from the router config
 * (limits, cost, trusted documents and APQ, identity) and the live supergraph of {@link SupergraphLifecycle}.
 */
@Context
public final class GraphQLEndpoint implements AutoCloseable {
    private final SupergraphLifecycle lifecycle;
    private final GraphQLHandler handler;
    private final DocumentResolver documents;
    private final HttpClient keysClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final IdentityResolver identity;

    public GraphQLEndpoint(SupergraphLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        RouterConfig config = lifecycle.config();
        this.handler = new GraphQLHandler(config.introspection(),
                new LimitsPolicy(config.endpoint().limits(), Metrics.globalRegistry),
                new DemandControl(config.endpoint().demandControl(), Metrics.globalRegistry), lifecycle.metrics(),
                config.cacheControl());
        this.documents = DocumentResolver.of(config.endpoint().trustedDocuments(), Metrics.globalRegistry);
        this.identity = IdentityResolver.create(config.endpoint().identity(), keysClient, Metrics.globalRegistry);
    }

    public RouterConfig config() {
        return lifecycle.config();
    }

    /** The router's meters (scraped on the admin listener). */
    public io.atrium.router.observe.RouterMetrics metrics() {
        return lifecycle.metrics();
    }

    public GraphQLHandler handler() {
        return handler;
    }

    /** Who is calling: the edge's assertion or a client JWT, per the {@code identity} block. */
    public IdentityResolver identity() {
        return identity;
    }

    /** Trusted documents and APQ: a request's document text by id or as sent. */
    public DocumentResolver documents() {
        return documents;
    }

    /** The live supergraph, or null before one loaded. */
    public LiveSupergraph current() {
        return lifecycle.current();
    }

    @PreDestroy
    @Override
    public void close() {
        keysClient.close();
        documents.close();
    }
}
