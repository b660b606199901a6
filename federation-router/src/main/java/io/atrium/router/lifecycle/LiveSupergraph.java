package io.atrium.router.lifecycle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.GraphQL;
import io.atrium.graphql.authz.Authorization;
import io.atrium.graphql.authz.Requirements;
import io.atrium.graphql.cost.CostDirectives;
import io.atrium.graphql.cost.CostEstimator;
import io.atrium.graphql.document.DocumentCache;
import io.micrometer.core.instrument.Metrics;
import io.atrium.graphql.limits.LimitsConfig;
import io.atrium.router.config.RouterConfig;
import io.atrium.router.execute.PlanExecutor;
import io.atrium.router.execute.SubgraphEndpoint;
import io.atrium.router.plan.QueryPlan;
import io.atrium.router.supergraph.Subgraph;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.transport.SubgraphTransport;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything built once per supergraph version: the model, its executor (subgraph endpoints resolved), the
 * introspection engine and the document (graphql-kit's, limits measured) and plan caches (keyed within this version, so a swap drops them).
 */
public final class LiveSupergraph {
    private final Supergraph supergraph;
    private final java.time.Instant loadedAt = java.time.Instant.now();
    private final PlanExecutor executor;
    private final GraphQL introspection;
    private final DocumentCache documents;
    private final Authorization authorization;
    private final CostEstimator cost;
    private final Cache<PlanKey, QueryPlan> plans;
    private final Map<String, Double> percentLabels;
    /** Every override label of the supergraph; a request can only enable these (the plan cache keys on them). */
    private final java.util.Set<String> knownLabels;
    /** Labels the config enables for every request. */
    private final java.util.Set<String> alwaysLabels;

    /** @param removed what authorization took out of the operation (never who the caller is); empty = nothing */
    public record PlanKey(String query, String operationName, java.util.Set<String> labels, String removed) {
    }

    /** When this supergraph went live (what {@code /health} reports beside its hash). */
    public java.time.Instant loadedAt() {
        return loadedAt;
    }

    public LiveSupergraph(Supergraph supergraph, RouterConfig config, SubgraphTransport transport) {
        this(supergraph, config, transport, java.util.List.of());
    }

    /** @param connectors asked in order for each subgraph; the first transport returned serves it */
    public LiveSupergraph(Supergraph supergraph, RouterConfig config, SubgraphTransport transport,
                          java.util.List<io.atrium.router.connector.ConnectorProvider> connectors) {
        this.supergraph = supergraph;
        Map<String, SubgraphEndpoint> endpoints = new LinkedHashMap<>();
        for (Subgraph subgraph : supergraph.subgraphs().values()) {
            RouterConfig.SubgraphOverride override = config.subgraphs().get(subgraph.name());
            URI url = override != null && override.url() != null ? override.url()
                    : subgraph.url().isEmpty() ? null : URI.create(subgraph.url());
            var timeout = override != null && override.timeout() != null ? override.timeout() : config.defaultTimeout();
            var protocol = override != null && override.protocol() != null ? override.protocol() : config.defaultProtocol();
            SubgraphTransport connector = null;
            for (var provider : connectors) {
                var served = provider.connect(supergraph, subgraph, config);
                if (served.isPresent()) {
                    connector = served.get();
                    break;
                }
            }
            if (connector != null && transport instanceof io.atrium.router.transport.ResilientTransport resilient) {
                connector = resilient.around(connector); // one circuit per subgraph, whatever protocol answers it
            }
            if (connector != null) {
                endpoints.put(subgraph.name(), new SubgraphEndpoint(url, timeout, false,
                        config.headerRulesFor(subgraph.name()), connector));
            } else if (url != null) {
                endpoints.put(subgraph.name(), new SubgraphEndpoint(url, timeout, protocol == RouterConfig.Protocol.H2C,
                        config.headerRulesFor(subgraph.name())));
            }
        }
        this.executor = new PlanExecutor(transport, endpoints);
        this.introspection = GraphQL.newGraphQL(supergraph.apiSchema()).build();
        this.percentLabels = percentLabels(supergraph);
        this.knownLabels = knownLabels(supergraph);
        java.util.Set<String> always = new java.util.HashSet<>(config.overrideLabels());
        always.retainAll(knownLabels);
        this.alwaysLabels = java.util.Set.copyOf(always);
        // Cache maintenance on the calling event loop: with the default (common pool) executor every few hits
        // wake a pool thread, which costs more than the maintenance itself.
        LimitsConfig limits = config.endpoint().limits();
        this.authorization = new Authorization(supergraph.apiSchema(), Requirements.read(supergraph.sdl()),
                config.endpoint().authorization(), Metrics.globalRegistry);
        this.cost = new CostEstimator(supergraph.apiSchema(), CostDirectives.read(supergraph.sdl()),
                config.endpoint().demandControl().listSize());
        this.documents = new DocumentCache(supergraph.apiSchema(), limits.parserMaxTokens(), limits.heightCap(), 2_000);
        this.plans = Caffeine.newBuilder().maximumSize(2_000).executor(Runnable::run).build();
    }

    /** Progressive override labels {@code percent(N)} of the supergraph → N. */
    private static Map<String, Double> percentLabels(Supergraph supergraph) {
        Map<String, Double> labels = new LinkedHashMap<>();
        for (var type : supergraph.types().values()) {
            for (var field : type.fields().values()) {
                for (var in : field.graphs().values()) {
                    String label = in.overrideLabel();
                    if (label != null && label.startsWith("percent(") && label.endsWith(")")) {
                        try {
                            labels.put(label, Double.parseDouble(label.substring(8, label.length() - 1)));
                        } catch (NumberFormatException ignored) {
                            // not a percentage label: only enabled when a request enables it explicitly
                        }
                    }
                }
            }
        }
        return Map.copyOf(labels);
    }

    private static java.util.Set<String> knownLabels(Supergraph supergraph) {
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (var type : supergraph.types().values()) {
            for (var field : type.fields().values()) {
                for (var in : field.graphs().values()) {
                    if (in.overrideLabel() != null) {
                        labels.add(in.overrideLabel());
                    }
                }
            }
        }
        return java.util.Set.copyOf(labels);
    }

    /** The override labels enabled for one request: each {@code percent(N)} label is on for N% of requests. */
    public java.util.Set<String> rollOverrideLabels() {
        return overrideLabels(null);
    }

    /**
     * The override labels enabled for one request: those the config enables, those of {@code requested} (the
     * comma-separated value of the configured label header, or null) that the supergraph has, and each
     * {@code percent(N)} label for N% of requests.
     */
    public java.util.Set<String> overrideLabels(String requested) {
        if (knownLabels.isEmpty()) {
            return java.util.Set.of();
        }
        java.util.Set<String> enabled = new java.util.HashSet<>(alwaysLabels);
        if (requested != null) {
            for (String label : requested.split(",")) {
                String trimmed = label.trim();
                if (knownLabels.contains(trimmed)) {
                    enabled.add(trimmed);
                }
            }
        }
        var random = java.util.concurrent.ThreadLocalRandom.current();
        percentLabels.forEach((label, percent) -> {
            if (random.nextDouble(100.0) < percent) {
                enabled.add(label);
            }
        });
        return enabled;
    }

    public Supergraph supergraph() {
        return supergraph;
    }

    public PlanExecutor executor() {
        return executor;
    }

    public GraphQL introspection() {
        return introspection;
    }

    public CostEstimator cost() {
        return cost;
    }

    public Authorization authorization() {
        return authorization;
    }

    public DocumentCache documents() {
        return documents;
    }

    public Cache<PlanKey, QueryPlan> plans() {
        return plans;
    }
}
