package io.atrium.graphql.bff;

import graphql.GraphQL;
import io.atrium.graphql.contract.ContractException;
import io.atrium.graphql.contract.ContractView;
import io.atrium.graphql.cost.CostDirectives;
import io.atrium.graphql.cost.CostEstimator;
import io.atrium.graphql.document.DocumentCache;
import io.atrium.graphql.limits.LimitsConfig;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the registry: polls its version every {@code registry.poll_ms}; on a change fetches the supergraph and the
 * app versions' operations, builds the view and swaps it in atomically (requests in flight finish on the old one).
 * A view that cannot be built keeps the current one (one WARN line per registry version); so does an unreachable
 * registry (one WARN when the outage starts, one INFO when it ends).
 */
public final class ViewFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ViewFollower.class);

    private final BffConfig config;
    private final RegistryClient registry;
    private final AtomicReference<LiveView> current = new AtomicReference<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "atrium-bff-view");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<LiveView> ready = new CompletableFuture<>();
    private volatile long seenVersion = -1;
    private volatile boolean unreachable;

    public ViewFollower(BffConfig config, HttpClient http) {
        this.config = config;
        this.registry = new RegistryClient(http, config.registry());
    }

    /** Starts polling (the first poll at once). */
    public ViewFollower start() {
        scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, config.registry().pollMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The live view, or null before the registry had a supergraph. */
    public LiveView current() {
        return current.get();
    }

    /** Completes with the first view. */
    public CompletableFuture<LiveView> ready() {
        return ready;
    }

    /** Polls now (after publishing own fields, so the view shows them without waiting a period). */
    public void pollSoon() {
        if (!scheduler.isShutdown()) {
            scheduler.execute(this::pollQuietly);
        }
    }

    private void pollQuietly() {
        try {
            poll();
            if (unreachable) {
                unreachable = false;
                LOG.info("registry at {} reachable again", config.registry().adminUrl());
            }
        } catch (RuntimeException e) {
            if (!unreachable) {
                unreachable = true;
                LOG.warn("registry at {} not answering ({}); keeping the current view", config.registry().adminUrl(),
                        rootMessage(e));
            }
        }
    }

    private void poll() {
        long version = registry.version().toCompletableFuture().join();
        if (version < 0 || version == seenVersion) {
            return;
        }
        String sdl = registry.supergraph().toCompletableFuture().join();
        Map<String, Object> operations = config.operations().source() == BffConfig.Operations.Source.REGISTRY
                ? registry.operations().toCompletableFuture().join() : Map.of();
        seenVersion = version;
        if (sdl == null) {
            return;
        }
        try {
            LiveView view = build(version, sdl, operations);
            current.set(view);
            ready.complete(view);
            LOG.info("view of registry version {} live ({} types)", version,
                    view.view().schema().getAllTypesAsList().size());
        } catch (ContractException e) {
            LOG.warn("registry version {}: {}; keeping the current view", version, e.getMessage());
        }
    }

    LiveView build(long version, String supergraphSdl, Map<String, Object> operations) {
        ContractView view = ContractView.build(supergraphSdl, config.view());
        LimitsConfig limits = config.endpoint().limits();
        DocumentCache documents = new DocumentCache(view.schema(), limits.parserMaxTokens(), limits.heightCap(), 2_000);
        CostEstimator cost = new CostEstimator(view.schema(), CostDirectives.read(supergraphSdl),
                config.endpoint().demandControl().listSize());
        return new LiveView(version, view, documents, GraphQL.newGraphQL(view.schema()).build(), cost,
                AppOperations.of(operations, config.operations().minVersions()));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    public Duration pollInterval() {
        return Duration.ofMillis(config.registry().pollMillis());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        registry.close();
    }
}
