package io.atrium.router.http;

import io.atrium.graphql.cost.CostRateLimit;
import io.atrium.graphql.cost.CostRateLimitConfig;
import io.atrium.graphql.cost.DemandControl;
import io.atrium.graphql.identity.IdentityResolver;
import io.atrium.graphql.limits.LimitsPolicy;
import io.atrium.graphql.trusted.DocumentResolver;
import io.atrium.router.config.RouterConfig;
import io.atrium.router.lifecycle.LiveSupergraph;
import io.atrium.router.lifecycle.SupergraphLifecycle;
import io.micrometer.core.instrument.Metrics;
import io.atrium.router.observe.Tracing;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
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
    private final CostRateLimit costBudget;
    private final Tracing tracing;

    /** @param environment its {@code otel.*} properties (and the {@code OTEL_*} variables) configure tracing */
    public GraphQLEndpoint(SupergraphLifecycle lifecycle, Environment environment) {
        this(lifecycle, Tracing.configure(io.atrium.policy.observability.OpenTelemetrySetup.properties(environment)));
    }

    GraphQLEndpoint(SupergraphLifecycle lifecycle, Tracing tracing) {
        this.lifecycle = lifecycle;
        this.tracing = tracing;
        RouterConfig config = lifecycle.config();
        CostRateLimitConfig budget = config.endpoint().demandControl().rateLimit();
        this.costBudget = budget == null ? null : new CostRateLimit(budget, Metrics.globalRegistry);
        this.handler = new GraphQLHandler(config.introspection(),
                new LimitsPolicy(config.endpoint().limits(), Metrics.globalRegistry),
                new DemandControl(config.endpoint().demandControl(), Metrics.globalRegistry), lifecycle.metrics(),
                config.cacheControl(), costBudget);
        this.documents = DocumentResolver.of(config.endpoint().trustedDocuments(), Metrics.globalRegistry);
        lifecycle.onRegistryVersion(state -> documents.registryDocuments(registryDocuments(state)));
        this.identity = IdentityResolver.create(config.endpoint().identity(), keysClient, Metrics.globalRegistry);
    }

    /**
     * The operations published to the registry, as trusted documents per client name: the union of every key of
     * the client ({@code ios} and {@code ios/5.2.0} both trust their documents for {@code ios}).
     */
    static java.util.Map<String, java.util.Map<String, String>> registryDocuments(
            io.atrium.router.registry.RegistryState state) {
        java.util.Map<String, java.util.Map<String, String>> perClient = new java.util.HashMap<>();
        state.operations().forEach((key, operations) -> {
            int slash = key.indexOf('/');
            String client = slash < 0 ? key : key.substring(0, slash);
            java.util.Map<String, String> byId = perClient.computeIfAbsent(client, k -> new java.util.HashMap<>());
            operations.forEach(operation -> byId.put(operation.id(), operation.body()));
        });
        return perClient;
    }

    /** OpenTelemetry traces: on when an OTLP endpoint is configured, else {@link Tracing#off()}. */
    public Tracing tracing() {
        return tracing;
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
        tracing.close();
        documents.close();
        if (costBudget != null) {
            costBudget.close();
        }
    }
}
